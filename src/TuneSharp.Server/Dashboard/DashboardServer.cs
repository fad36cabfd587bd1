using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TuneSharp.Server.Dashboard;

/// <summary>Starts the standalone dashboard (<c>tunesharp dashboard</c>) on Kestrel.</summary>
public static class DashboardServer
{
    public static async Task<RunningDashboard> StartAsync(DashboardOptions options, CancellationToken cancel = default)
    {
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<JsonOptions>(j => j.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
        var address = string.Equals(options.Host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(options.Host, out var ip) ? ip : throw new UserError($"--host: expected an IP address (e.g. 127.0.0.1), got '{options.Host}'");
        builder.WebHost.ConfigureKestrel(k => { k.Listen(address, options.Port); k.AddServerHeader = false; });
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        DashboardRoutes.Map(app, "", new RunCatalog(options.RunsDir), options.ApiKey, chat: false, options.DataDir);
        try { await app.StartAsync(cancel).ConfigureAwait(false); }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new UserError($"cannot listen on {options.Host}:{options.Port}: {e.Message}", e);
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningDashboard(app, new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/"));
    }
}

/// <summary>A started dashboard: its address and a stop.</summary>
public sealed class RunningDashboard(WebApplication app, Uri baseAddress) : IAsyncDisposable
{
    /// <summary>e.g. http://127.0.0.1:7860/</summary>
    public Uri BaseAddress { get; } = baseAddress;

    public Task WaitForShutdownAsync(CancellationToken cancel = default) => app.WaitForShutdownAsync(cancel);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
