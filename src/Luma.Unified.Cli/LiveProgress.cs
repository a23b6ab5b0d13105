using System.Text;
using Spectre.Console;

namespace Luma.Unified.Cli;

/// <summary>
/// A live bar while its work runs (<see cref="ConsoleProgress.Live"/>): the work reports its position and a status
/// (e.g. the loss) and writes its log through <see cref="Log"/>, whose whole lines Spectre prints above the bar —
/// text written to the terminal past Spectre would be overdrawn by the next redraw.
/// </summary>
public sealed class LiveProgress
{
    private readonly ProgressTask _task;
    private readonly string _label;

    internal LiveProgress(IAnsiConsole console, ProgressTask task, string label)
    {
        (_task, _label) = (task, label);
        Log = new LineWriter(console);
    }

    /// <summary>Lines to print above the bar.</summary>
    public TextWriter Log { get; }

    /// <summary>Moves the bar to <paramref name="done"/> and shows <paramref name="status"/> beside the label.</summary>
    public void Report(long done, string status)
    {
        _task.Description = Markup.Escape($"{_label} {status}");
        _task.Value = done;
    }

    // Collects characters until a newline, then hands Spectre the whole line, so a log event is never split by a redraw.
    private sealed class LineWriter(IAnsiConsole console) : TextWriter
    {
        private readonly StringBuilder _line = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_line)
            {
                if (value == '\n')
                {
                    console.Write(new Text(_line.ToString().TrimEnd('\r') + "\n"));
                    _line.Clear();
                }
                else
                {
                    _line.Append(value);
                }
            }
        }

        public override void Write(string? value)
        {
            foreach (var c in value ?? "")
            {
                Write(c);
            }
        }
    }
}
