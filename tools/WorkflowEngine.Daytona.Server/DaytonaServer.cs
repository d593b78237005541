using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Server;

/// <summary>
/// A running Daytona-compatible server: the control plane under <c>/api</c> and each sandbox's toolbox under
/// <c>/toolbox/{id}</c>, over an <see cref="ISandboxProvider"/>. Start it with <see cref="StartAsync"/>; dispose it to stop.
/// To serve the same routes from your own ASP.NET Core app, use <see cref="DaytonaEndpointRouteBuilderExtensions.MapDaytonaApi"/>.
/// </summary>
public sealed class DaytonaServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DaytonaServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The address the server listens on, ending in <c>/</c> (e.g. <c>http://127.0.0.1:3000/</c>).</summary>
    public Uri BaseUrl { get; }

    /// <summary>The control plane's address, to use as <c>DAYTONA_API_URL</c> (e.g. <c>http://127.0.0.1:3000/api</c>).</summary>
    public Uri ApiUrl => new(BaseUrl, "api");

    /// <summary>Starts listening. Invalid options throw <see cref="ArgumentException"/> with every problem in one message.</summary>
    /// <param name="provider">The provider that holds the sandboxes.</param>
    /// <param name="options">Address, port and API key.</param>
    /// <param name="logging">Configures logging; by default only warnings are written to the console.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    public static async Task<DaytonaServer> StartAsync(ISandboxProvider provider, DaytonaServerOptions options, Action<ILoggingBuilder>? logging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logging is null)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        }
        else
        {
            logging(builder.Logging);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(options.BindAddress), options.Port);
            // Uploads stream through; Daytona allows files of any size, the provider enforces its own limits.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        app.MapDaytonaApi(provider, options);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no listening address.");
        var listening = new Uri(address.TrimEnd('/') + "/");
        return new DaytonaServer(app, listening);
    }

    /// <summary>Completes when the server stops (dispose, or Ctrl+C in a console host).</summary>
    /// <param name="cancellationToken">Stops waiting (and the server).</param>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
