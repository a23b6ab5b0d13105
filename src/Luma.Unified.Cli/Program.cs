using Luma.Unified.Cli;

return LumaCli.Run(args, Console.Out, Console.Error);
