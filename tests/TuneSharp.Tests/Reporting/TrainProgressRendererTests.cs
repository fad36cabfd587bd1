using TuneSharp.Cli.Progress;
using TuneSharp.Training;

namespace TuneSharp.Tests.Reporting;

public class TrainProgressRendererTests
{
    static TrainProgress At(int step, double loss = 2.34123, string? message = null) => new(
        step, 300, step / 30.0, loss, 4.98e-5, 1234.4, TimeSpan.FromSeconds(step), TimeSpan.FromSeconds(65), message);

    [Fact]
    public void Plain_mode_writes_one_exact_line_per_report_and_messages_as_their_own_lines()
    {
        var output = new StringWriter { NewLine = "\n" };
        using (var renderer = TrainProgressRenderer.Create(output, interactive: false))
        {
            renderer.Report(At(20));
            renderer.Report(At(20, double.NaN, "eval step 20: loss 2.1, accuracy 0.75 (best)"));
            renderer.Report(At(30) with { Eta = TimeSpan.FromHours(27.5), LearningRate = 0 });
        }

        Assert.Equal(
            "step 20/300 | epoch 0.67 | loss 2.3412 | lr 4.98e-05 | 1234 tok/s | eta 00:01:05\n"
            + "eval step 20: loss 2.1, accuracy 0.75 (best)\n"
            + "step 30/300 | epoch 1.00 | loss 2.3412 | lr 0.00e+00 | 1234 tok/s | eta 27:30:00\n",
            output.ToString());
    }

    [Fact]
    public void Plain_mode_keeps_lines_whole_when_reports_come_from_several_threads()
    {
        var output = new StringWriter { NewLine = "\n" };
        using (var renderer = TrainProgressRenderer.Create(output, interactive: false))
            Parallel.For(1, 201, step => renderer.Report(At(step)));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(200, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^step \d+/300 \| epoch \d+\.\d\d \| loss 2\.3412 \| lr 4\.98e-05 \| 1234 tok/s \| eta 00:01:05$", l));
    }

    [Fact]
    public async Task Interactive_mode_renders_the_final_state_and_messages_without_throwing()
    {
        var output = new StringWriter { NewLine = "\n" };
        using (var renderer = TrainProgressRenderer.Create(output, interactive: true))
        {
            // As in training: the reports come from another thread than the one that created the display.
            await Task.Run(() =>
            {
                for (int step = 1; step <= 300; step++) renderer.Report(At(step));
                renderer.Report(At(300, double.NaN, "eval step 300: loss 1.9000"));
            });
        }

        var text = output.ToString();
        Assert.Contains("eval step 300: loss 1.9000", text, StringComparison.Ordinal);
        Assert.Contains("epoch 10.00 | loss 2.3412 | lr 4.98e-05 | 1234 tok/s | eta 00:01:05", text, StringComparison.Ordinal);
        Assert.Contains("step 300/300", text, StringComparison.Ordinal);
        Assert.Contains("100%", text, StringComparison.Ordinal);
    }
}
