using System.CommandLine;
using TuneSharp.Cards;

namespace TuneSharp.Cli.Commands;

/// <summary><c>tunesharp card verify DIR</c>: recomputes the digests a trained model folder's lineage.json recorded.</summary>
public static class CardCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "A model folder written by `tunesharp train` (it holds lineage.json)" };
        var verify = new Command("verify", "Recompute the SHA-256 of the model, its base model and its data files; exit 1 when any changed or is missing") { dir };
        verify.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var items = LineageVerification.Verify(parse.GetValue(dir)!);
            foreach (var i in items)
                o.WriteLine($"{i.Status,-8} {i.What,-18} {i.Path}" + (i.Status == "changed" ? $" (recorded {i.Recorded[..12]}…, now {i.Now![..12]}…)" : ""));
            int bad = items.Count(i => i.Status != "ok");
            o.WriteLine(bad == 0 ? "every digest matches lineage.json" : $"{bad} of {items.Count} changed or missing");
            return bad == 0 ? 0 : 1;
        });
        return new Command("card", "Model cards and lineage of trained model folders") { verify };
    }
}
