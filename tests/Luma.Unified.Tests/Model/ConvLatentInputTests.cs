using Luma.Unified.Backbone;
using Luma.Unified.Model.Inputs;
using Luma.Unified.Tests.Support;
using static TorchSharp.torch;

namespace Luma.Unified.Tests.Model;

public sealed class ConvLatentInputTests : TorchTest
{
    private const int Side = 6;
    private const int Channels = 4;

    // Two images of 6 × 6 positions, row by row: [72, 4] → [72, 16].
    private static float[,] Output(ConvLatentInput input, Tensor latents)
    {
        using var noGrad = no_grad();
        using var output = input.forward(latents);
        Assert.Equal(new long[] { 2 * Side * Side, 16 }, output.shape);
        var values = output.abs().sum(1).data<float>().ToArray();
        var grid = new float[2 * Side, Side];
        for (var i = 0; i < values.Length; i++)
        {
            grid[i / Side, i % Side] = values[i];
        }
        return grid;
    }

    [Fact]
    public void AChangedCellReachesItsNeighboursAndNeverTheNextImage()
    {
        manual_seed(3);
        using var input = new ConvLatentInput(Channels, 16, Side, new ComputePrecision(), residualBlocks: 0);
        using var latents = randn(2 * Side * Side, Channels);
        var reference = Output(input, latents);

        using var changed = latents.clone();
        changed[2 * Side + 2] = randn(Channels);          // image 0, row 2, column 2
        var after = Output(input, changed);

        // The 3 × 3 cells around (2, 2) see the change; the group norm then carries it to the rest of image 0
        // (its statistics are per image), and image 1 stays exactly as it was.
        for (var row = 1; row <= 3; row++)
        {
            for (var column = 1; column <= 3; column++)
            {
                Assert.NotEqual(reference[row, column], after[row, column]);
            }
        }
        for (var row = Side; row < 2 * Side; row++)
        {
            for (var column = 0; column < Side; column++)
            {
                Assert.Equal(reference[row, column], after[row, column]);
            }
        }
    }

    [Fact]
    public void PositionsThatAreNotWholeGridsAreRefused()
    {
        using var input = new ConvLatentInput(Channels, 16, Side, new ComputePrecision());
        using var latents = randn(Side * Side + 1, Channels);

        var error = Assert.Throws<ArgumentException>(() => input.forward(latents));
        Assert.Contains("37 latent positions are not whole 6 × 6 grids", error.Message);
    }
}
