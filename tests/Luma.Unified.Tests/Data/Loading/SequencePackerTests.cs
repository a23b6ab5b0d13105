using Luma.Unified.Data.Loading;

namespace Luma.Unified.Tests.Data.Loading;

public sealed class SequencePackerTests
{
    private static readonly MixerPosition s_nowhere = new(0, []);

    private static PositionedDocument Text(string id, int first, int count) =>
        new(new PackableDocument(id, id, [new PackableSegment("text", count, [.. Enumerable.Range(first, count)])]), s_nowhere);

    private static Func<PositionedDocument> Supply(params PositionedDocument[] documents)
    {
        var queue = new Queue<PositionedDocument>(documents);
        return () => queue.Dequeue();
    }

    [Fact]
    public void TextFillsRowsCompletelyAndKeepsEveryTokenInOrder()
    {
        var packer = new SequencePacker(rowLength: 8);
        var next = Supply(Text("a", 100, 5), Text("b", 200, 7), Text("c", 300, 9), Text("d", 400, 30));

        var rows = Enumerable.Range(0, 3).Select(_ => packer.NextRow(next)).ToList();

        Assert.All(rows, r => Assert.Equal(8, r.Used));
        var tokens = rows.SelectMany(r => r.Pieces).SelectMany(p => p.Tokens!).ToList();
        int[] expected = [.. Enumerable.Range(100, 5), .. Enumerable.Range(200, 7), .. Enumerable.Range(300, 9), .. Enumerable.Range(400, 3)];
        Assert.Equal(expected, tokens);
        // Row 0: a (0..5) then the start of b (5..8); row 1 continues b as document 0 of that row.
        Assert.Equal([(0, 5, 0, "a"), (5, 3, 1, "b")], rows[0].Pieces.Select(p => (p.Offset, p.Length, p.Document, p.DocumentId)));
        Assert.Equal([(0, 4, 0, "b"), (4, 4, 1, "c")], rows[1].Pieces.Select(p => (p.Offset, p.Length, p.Document, p.DocumentId)));
    }

    [Fact]
    public void MediaIsNeverCutAndMovesToTheNextRowLeavingPadding()
    {
        var packer = new SequencePacker(rowLength: 10);
        var image = new PackableSegment("image", 6, Payload: "pixels");
        var document = new PositionedDocument(new PackableDocument("m", "m", [new PackableSegment("text", 3, [1, 2, 3]), image, new PackableSegment("text", 2, [4, 5])]), s_nowhere);
        var next = Supply(Text("a", 100, 6), document, Text("z", 900, 20));

        var first = packer.NextRow(next);
        var second = packer.NextRow(next);

        // a (6) + the text of m (3) = 9; the 6-position image does not fit in the last 1, so it is padding.
        Assert.Equal(9, first.Used);
        Assert.Equal([("text", 0, 6), ("text", 6, 3)], first.Pieces.Select(p => (p.Modality, p.Offset, p.Length)));
        Assert.Equal([("image", 0, 6, 0), ("text", 6, 2, 0), ("text", 8, 2, 1)], second.Pieces.Select(p => (p.Modality, p.Offset, p.Length, p.Document)));
        Assert.Equal("pixels", second.Pieces[0].Payload);
    }

    [Fact]
    public void MediaLongerThanARowIsANamedError()
    {
        var packer = new SequencePacker(rowLength: 4);
        var huge = new PositionedDocument(new PackableDocument("big", "shard-00000.parquet row 3", [new PackableSegment("image", 5)]), s_nowhere);

        var error = Assert.Throws<InvalidDataException>(() => packer.NextRow(Supply(huge)));
        Assert.Contains("shard-00000.parquet row 3: document 'big' has a media segment longer than a row (4 positions)", error.Message, StringComparison.Ordinal);
    }
}
