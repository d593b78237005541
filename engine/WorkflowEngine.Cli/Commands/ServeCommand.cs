using System.CommandLine;
using System.Security.Cryptography;
using WorkflowEngine.Daytona.Local;
using WorkflowEngine.Daytona.Server;

namespace WorkflowEngine.Cli.Commands;

/// <summary>
/// <c>wfe serve</c>: puts this machine's local sandboxes behind a Daytona-compatible REST API on 127.0.0.1, so
/// Daytona clients (including <c>--backend daytona</c>) can use them. Runs until Ctrl+C.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port (0 picks a free one)", DefaultValueFactory = _ => 3000 };
        var apiKey = new Option<string?>("--api-key") { Description = "Bearer token clients must send (default: WFE_SERVE_API_KEY, else a generated one, printed)" };
        var bind = new Option<string>("--bind") { Description = "Address to listen on; anything but loopback exposes sandboxes to the network", DefaultValueFactory = _ => "127.0.0.1" };
        var allowNetwork = new Option<bool>("--allow-network") { Description = "Give network to sandboxes created with networkBlockAll: false (default: never)" };
        var publicUrl = new Option<string?>("--public-url") { Description = "Base URL clients reach this server at, advertised as toolboxProxyUrl (behind a reverse proxy)" };
        var gitRoots = new Option<string[]>("--git-root")
        {
            Description = "A host folder beneath which git clone may read local repositories (and push write to them); repeatable (default: the current directory)",
            AllowMultipleArgumentsPerToken = false,
        };
        var maxSandboxes = new Option<int>("--max-sandboxes") { Description = "Most sandboxes this WFE_HOME may hold at once, however created", DefaultValueFactory = _ => new LocalSandboxOptions().MaxSandboxes };
        var maxPerKey = new Option<int>("--max-sandboxes-per-key") { Description = "Most sandboxes the API key may hold at once", DefaultValueFactory = _ => new DaytonaServerOptions().MaxSandboxesPerKey };
        var command = new Command("serve", "Serve local sandboxes over a Daytona-compatible REST API") { port, apiKey, bind, allowNetwork, publicUrl, gitRoots, maxSandboxes, maxPerKey };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var key = parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("WFE_SERVE_API_KEY");
            var generated = string.IsNullOrWhiteSpace(key);
            if (generated)
            {
                key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            }

            var options = new DaytonaServerOptions
            {
                Port = parse.GetValue(port),
                ApiKey = key,
                BindAddress = parse.GetValue(bind)!,
                AllowNetwork = parse.GetValue(allowNetwork),
                PublicBaseUrl = parse.GetValue(publicUrl),
                MaxSandboxesPerKey = parse.GetValue(maxPerKey),
            };
            if (options.Validate() is { } problem)
            {
                Console.Error.WriteLine($"error: {problem}");
                return 2;
            }

            // A long-lived process: the warm pool and standbys pay off here (unlike one-shot CLI calls).
            // Daytona takes files of any size; here uploads may be as large as a file in a sandbox may grow.
            var sandboxOptions = new LocalSandboxOptions { MaxSandboxes = parse.GetValue(maxSandboxes) };
            sandboxOptions.MaxWriteBytes = sandboxOptions.MaxFileBytes;
            if (parse.GetValue(gitRoots) is { Length: > 0 } roots)
            {
                sandboxOptions.GitRoots = roots.Select(r => Path.GetFullPath(r)).ToList();
            }

            if (sandboxOptions.Validate() is { } invalid)
            {
                Console.Error.WriteLine($"error: {invalid} (--git-root, --max-sandboxes)");
                return 2;
            }

            using var provider = new LocalSandboxProvider(sandboxOptions);
            DaytonaServer server;
            try
            {
                server = await DaytonaServer.StartAsync(provider, options, cancellationToken: cancellationToken);
            }
            catch (IOException ex)
            {
                Console.Error.WriteLine($"error: cannot listen on {options.BindAddress}:{options.Port}: {ex.Message}. Pick another --port (0 picks a free one).");
                return 1;
            }

            await using (server)
            {
                // The first line is for scripts: it names the URL to use as DAYTONA_API_URL.
                Console.Out.WriteLine($"Daytona-compatible API: {server.ApiUrl}");
                Console.Out.WriteLine(generated
                    ? $"API key (generated; pass --api-key or set WFE_SERVE_API_KEY to choose one): {key}"
                    : "API key: as given");
                Console.Out.WriteLine($"Use it: DAYTONA_API_URL={server.ApiUrl} DAYTONA_API_KEY=<key> ./wfe run ... --backend daytona");
                if (!System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(options.BindAddress)))
                {
                    Console.Error.WriteLine($"warning: listening on {options.BindAddress}, not loopback: anyone who can reach this port and has the key can run code in these sandboxes. The connection is plain HTTP; put TLS in front of it.");
                }

                Console.Out.Flush();
                try
                {
                    await server.WaitForShutdownAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return 0;
        });
        return command;
    }
}
