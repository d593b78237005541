using System.CommandLine;
using Spectre.Console;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Cli.Sandboxes;

/// <summary>
/// <c>wfe sandbox …</c>: create, list, inspect, run in, copy to and from, and remove sandboxes; local ones by default,
/// Daytona ones with <c>--backend daytona</c> (configured by the <c>DAYTONA_*</c> environment variables).
/// </summary>
internal static class SandboxCommand
{
    public static Command Create()
    {
        // Recursive: accepted after "sandbox" or after any subcommand.
        var backend = new Option<string>("--backend")
        {
            Description = "local (bubblewrap-isolated, under WFE_HOME) or daytona (DAYTONA_API_KEY, DAYTONA_API_URL…)",
            DefaultValueFactory = _ => "local",
            Recursive = true,
        };
        backend.AcceptOnlyFromAmong(SandboxCli.Backends);
        return new Command("sandbox", "Manage sandboxes: local ones (bubblewrap-isolated, under WFE_HOME) or, with --backend daytona, Daytona ones")
        {
            backend,
            CreateCommand(backend),
            ListCommand(backend),
            InfoCommand(backend),
            ExecCommand(backend),
            RunCommand(backend),
            CopyCommand(backend),
            RemoveCommand(backend),
            PruneCommand(backend),
        };
    }

    private static Command CreateCommand(Option<string> backend)
    {
        var language = new Option<string>("--language", "-l") { Description = "python, javascript, typescript or bash", DefaultValueFactory = _ => "python" };
        var name = new Option<string?>("--name", "-n") { Description = "A unique name" };
        var env = new Option<string[]>("--env", "-e") { Description = "KEY=VALUE, repeatable", AllowMultipleArgumentsPerToken = false };
        var persistent = new Option<bool>("--persistent") { Description = "Keep it for the long idle TTL (7 days) rather than the short one (1 hour)" };
        var network = new Option<bool>("--network") { Description = "Share the host's network (off by default)" };
        var memory = new Option<string?>("--memory", "-m") { Description = "Memory limit, such as 512M or 1G" };
        var disk = new Option<string?>("--disk") { Description = "Disk quota of the workspace, such as 512M or 4G (local default 2G)" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("create", "Create a sandbox; it is kept until removed or idle past its TTL") { language, name, env, persistent, network, memory, disk, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(env) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    return SandboxCli.Fail($"--env '{pair}' must be KEY=VALUE.");
                }

                variables[pair[..equals]] = pair[(equals + 1)..];
            }

            long? memoryBytes = null;
            if (parse.GetValue(memory) is { } memoryText)
            {
                if (!SizeParser.TryParse(memoryText, out var bytes))
                {
                    return SandboxCli.Fail($"--memory '{memoryText}' is not a size; use for example 512M or 1G.");
                }

                memoryBytes = bytes;
            }

            long? diskBytes = null;
            if (parse.GetValue(disk) is { } diskText)
            {
                if (!SizeParser.TryParse(diskText, out var bytes))
                {
                    return SandboxCli.Fail($"--disk '{diskText}' is not a size; use for example 512M or 4G.");
                }

                diskBytes = bytes;
            }

            var selected = SandboxCli.CreateProvider(parse.GetValue(backend));
            if (!selected.Succeeded)
            {
                return SandboxCli.Fail(selected.Error);
            }

            // Disposing the Daytona provider finishes the watch after an ambiguous create (a last lookup, and deletion).
            await using var owned = selected.Value as IAsyncDisposable;
            var created = await selected.Value.CreateAsync(
                new SandboxSpec
                {
                    Language = parse.GetValue(language)!,
                    Name = parse.GetValue(name),
                    EnvironmentVars = variables,
                    Persistent = parse.GetValue(persistent),
                    Network = parse.GetValue(network),
                    Resources = new SandboxResources { MemoryBytes = memoryBytes, DiskBytes = diskBytes },
                },
                cancellationToken);
            if (!created.Succeeded)
            {
                return SandboxCli.Fail(created.Error);
            }

            if (parse.GetValue(json))
            {
                SandboxCli.PrintJson(SandboxCli.Describe(created.Value));
            }
            else
            {
                Console.Out.WriteLine($"{created.Value.Id} {created.Value.Name} ({created.Value.Language}, {created.Value.Isolation})");
            }

            return 0;
        });
        return command;
    }

    private static Command ListCommand(Option<string> backend)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("ls", "List sandboxes") { json };
        command.Aliases.Add("list");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var selected = SandboxCli.CreateProvider(parse.GetValue(backend));
            if (!selected.Succeeded)
            {
                return SandboxCli.Fail(selected.Error);
            }

            var listed = await selected.Value.ListAsync(cancellationToken);
            if (!listed.Succeeded)
            {
                return SandboxCli.Fail(listed.Error);
            }

            if (parse.GetValue(json))
            {
                SandboxCli.PrintJson(listed.Value.Select(SandboxCli.Describe).ToList());
                return 0;
            }

            if (Console.IsOutputRedirected)
            {
                // Plain columns for scripts: one sandbox a line, never wrapped.
                foreach (var sandbox in listed.Value)
                {
                    Console.Out.WriteLine($"{sandbox.Id}\t{sandbox.Name}\t{sandbox.Language}\t{sandbox.State}\t{(sandbox.Persistent ? "persistent" : "ephemeral")}\t{sandbox.LastAccessedAt:u}");
                }

                return 0;
            }

            var table = new Table().AddColumns("ID", "NAME", "LANGUAGE", "STATE", "PERSISTENT", "LAST USED");
            foreach (var sandbox in listed.Value)
            {
                table.AddRow(sandbox.Id, Markup.Escape(sandbox.Name), sandbox.Language, sandbox.State, sandbox.Persistent ? "yes" : "no", sandbox.LastAccessedAt.ToString("u"));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static Command InfoCommand(Option<string> backend)
    {
        var sandbox = new Argument<string>("sandbox") { Description = "Id or name" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("info", "Show a sandbox") { sandbox, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var selected = SandboxCli.CreateProvider(parse.GetValue(backend));
            if (!selected.Succeeded)
            {
                return SandboxCli.Fail(selected.Error);
            }

            var found = await selected.Value.GetAsync(parse.GetValue(sandbox)!, cancellationToken);
            if (!found.Succeeded)
            {
                return SandboxCli.Fail(found.Error);
            }

            var description = (Dictionary<string, object?>)SandboxCli.Describe(found.Value);
            if (parse.GetValue(json))
            {
                SandboxCli.PrintJson(description);
            }
            else
            {
                foreach (var (key, value) in description)
                {
                    Console.Out.WriteLine($"{key,-18} {WorkflowEngine.Templating.PlainData.ToText(WorkflowEngine.Templating.PlainData.FromObject(value))}");
                }
            }

            return 0;
        });
        return command;
    }

    private static Command ExecCommand(Option<string> backend)
    {
        var sandbox = new Argument<string>("sandbox") { Description = "Id or name" };
        var program = new Argument<string[]>("command") { Description = "The program and its arguments, after --", Arity = ArgumentArity.OneOrMore };
        var cwd = new Option<string?>("--cwd") { Description = "Working directory inside the sandbox (default /workspace)" };
        var timeout = new Option<double?>("--timeout") { Description = "Seconds before the command is killed (default 60)" };
        var command = new Command("exec", "Run a command in a sandbox; exits with its exit code") { sandbox, program, cwd, timeout };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var seconds = parse.GetValue(timeout);
            if (seconds is <= 0)
            {
                return SandboxCli.Fail("--timeout must be a positive number of seconds.");
            }

            var selected = SandboxCli.CreateProvider(parse.GetValue(backend));
            if (!selected.Succeeded)
            {
                return SandboxCli.Fail(selected.Error);
            }

            var result = await selected.Value.Process.ExecAsync(
                parse.GetValue(sandbox)!,
                new ExecRequest
                {
                    Command = parse.GetValue(program)!,
                    WorkingDirectory = parse.GetValue(cwd),
                    Timeout = seconds is { } s ? TimeSpan.FromSeconds(s) : null,
                },
                cancellationToken);
            return Print(result);
        });
        return command;
    }

    private static Command RunCommand(Option<string> backend)
    {
        var sandbox = new Argument<string>("sandbox") { Description = "Id or name" };
        var language = new Option<string>("--language", "-l") { Description = "python, javascript, typescript or bash", Required = true };
        var code = new Option<string?>("--code", "-c") { Description = "The code to run" };
        var file = new Option<string?>("--file", "-f") { Description = "A host file whose content to run" };
        var command = new Command("run", "Run code in a sandbox; exits with its exit code") { sandbox, language, code, file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var text = parse.GetValue(code);
            var path = parse.GetValue(file);
            if ((text is null) == (path is null))
            {
                return SandboxCli.Fail("Give exactly one of --code TEXT or --file PATH.");
            }

            if (path is not null && !File.Exists(path))
            {
                return SandboxCli.Fail($"File '{path}' does not exist.");
            }

            var selected = SandboxCli.CreateProvider(parse.GetValue(backend));
            if (!selected.Succeeded)
            {
                return SandboxCli.Fail(selected.Error);
            }

            text ??= await File.ReadAllTextAsync(path!, cancellationToken);
            var result = await selected.Value.Process.RunCodeAsync(parse.GetValue(sandbox)!, parse.GetValue(language)!, text, cancellationToken: cancellationToken);
            return Print(result);
        });
        return command;
    }

    private static Command CopyCommand(Option<string> backend)
    {
        var source = new Argument<string>("source") { Description = "A host path, or ID:PATH in a sandbox" };
        var destination = new Argument<string>("destination") { Description = "A host path, or ID:PATH in a sandbox" };
        var command = new Command("cp", "Copy a file into or out of a sandbox") { source, destination };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var from = SplitRemote(parse.GetValue(source)!);
            var to = SplitRemote(parse.GetValue(destination)!);
            if ((from.Sandbox is null) == (to.Sandbox is null))
            {
                return SandboxCli.Fail("Exactly one side must be a sandbox path written ID:PATH, for example sandbox-0123456789ab:/workspace/app.py.");
            }

            var selected = SandboxCli.CreateProvider(parse.GetValue(backend));
            if (!selected.Succeeded)
            {
                return SandboxCli.Fail(selected.Error);
            }

            var files = selected.Value.Files;
            if (to.Sandbox is not null)
            {
                if (!File.Exists(from.Path))
                {
                    return SandboxCli.Fail($"File '{from.Path}' does not exist.");
                }

                await using var input = File.OpenRead(from.Path);
                var uploaded = await files.UploadAsync(to.Sandbox, to.Path, input, cancellationToken);
                return uploaded.Succeeded ? 0 : SandboxCli.Fail(uploaded.Error);
            }

            var temporary = to.Path + ".wfe-partial";
            SandboxResult<Unit> downloaded;
            await using (var output = File.Create(temporary))
            {
                downloaded = await files.DownloadAsync(from.Sandbox!, from.Path, output, cancellationToken);
            }

            if (!downloaded.Succeeded)
            {
                File.Delete(temporary);
                return SandboxCli.Fail(downloaded.Error);
            }

            File.Move(temporary, Directory.Exists(to.Path) ? Path.Combine(to.Path, Path.GetFileName(from.Path)) : to.Path, overwrite: true);
            return 0;
        });
        return command;
    }

    private static Command RemoveCommand(Option<string> backend)
    {
        var sandboxes = new Argument<string[]>("sandboxes") { Description = "Ids or names", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Remove every sandbox" };
        var command = new Command("rm", "Remove sandboxes and their files") { sandboxes, all };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var names = parse.GetValue(sandboxes) ?? [];
            if (parse.GetValue(all) == (names.Length > 0))
            {
                return SandboxCli.Fail("Give sandbox ids or names, or --all.");
            }

            var selected = SandboxCli.CreateProvider(parse.GetValue(backend));
            if (!selected.Succeeded)
            {
                return SandboxCli.Fail(selected.Error);
            }

            var provider = selected.Value;

            if (parse.GetValue(all))
            {
                names = [.. ((await provider.ListAsync(cancellationToken)).Value ?? []).Select(s => s.Id)];
            }

            var exit = 0;
            foreach (var name in names)
            {
                var deleted = await provider.DeleteAsync(name, cancellationToken);
                if (deleted.Succeeded)
                {
                    Console.Out.WriteLine($"removed {name}");
                }
                else
                {
                    exit = SandboxCli.Fail(deleted.Error);
                }
            }

            return exit;
        });
        return command;
    }

    private static Command PruneCommand(Option<string> backend)
    {
        var command = new Command("prune", "Remove local sandboxes unused for longer than their idle TTL");
        command.SetAction(parse =>
        {
            if (parse.GetValue(backend) != "local")
            {
                // Daytona stops and deletes idle sandboxes itself (auto-stop and auto-delete intervals).
                return SandboxCli.Fail("prune applies to local sandboxes only; Daytona stops and deletes idle sandboxes itself.");
            }

            var removed = SandboxCli.CreateProvider().Prune();
            Console.Out.WriteLine(removed.Count == 0 ? "nothing to prune" : $"removed {string.Join(' ', removed)}");
            return 0;
        });
        return command;
    }

    private static int Print(SandboxResult<ExecResult> result)
    {
        if (!result.Succeeded)
        {
            return SandboxCli.Fail(result.Error);
        }

        Console.Out.Write(result.Value.Stdout);
        Console.Error.Write(result.Value.Stderr);
        if (result.Value.Stderr.Length > 0 && !result.Value.Stderr.EndsWith('\n'))
        {
            Console.Error.WriteLine();
        }

        if (result.Value.Truncated)
        {
            Console.Error.WriteLine("[output truncated at the capture limit]");
        }

        return result.Value.ExitCode;
    }

    private static (string? Sandbox, string Path) SplitRemote(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && !text[..colon].Contains('/', StringComparison.Ordinal) ? (text[..colon], text[(colon + 1)..]) : (null, text);
    }
}
