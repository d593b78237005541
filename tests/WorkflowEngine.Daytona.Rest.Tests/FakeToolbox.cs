using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace WorkflowEngine.Daytona.Rest.Tests;

/// <summary>
/// The fake's toolbox <c>/files</c> and <c>/git</c> routes: each sandbox's working directory is a temporary host
/// folder, and git runs for real (arguments as an argument list, never a shell). The bulk routes follow the daemon:
/// <c>bulk-upload</c> reads multipart pairs in order (a file before its path is an error) and writes real files;
/// <c>bulk-download</c> streams a multipart answer with a file or error part per path.
/// </summary>
internal static class FakeToolbox
{
    /// <summary>The daemon's fixed boundary of bulk-download answers.</summary>
    public const string DownloadBoundary = "DAYTONA-FILE-BOUNDARY";

    public static FakeResponse Files(FakeDaytonaServer.Sandbox box, string route, RecordedRequest request, bool legacyBulkDownload = false)
    {
        switch (request.Method, route)
        {
            case ("POST", "files/bulk-upload"):
                return BulkUpload(box, request);
            case ("POST", "files/bulk-download"):
                return BulkDownload(box, request, legacyBulkDownload);
        }

        var key = route == "files/move" ? "source" : "path";
        if (Resolve(box, request.Query[key] ?? (route == "files" ? "." : null)) is not { } path)
        {
            return Fail(400, $"invalid {key} '{request.Query[key]}'", request);
        }

        switch (request.Method, route)
        {
            case ("GET", "files"):
                if (!Directory.Exists(path))
                {
                    return Fail(404, "directory not found", request);
                }

                var items = new DirectoryInfo(path).EnumerateFileSystemInfos().Select(i => (JsonNode)Info(i)).ToArray();
                return new FakeResponse(200, new JsonArray(items).ToJsonString());
            case ("GET", "files/info"):
                return Exists(path) ? new FakeResponse(200, Info(Entry(path)).ToJsonString()) : Fail(404, "file not found", request);
            case ("GET", "files/download"):
                if (Directory.Exists(path))
                {
                    return Fail(400, "path is a directory", request);
                }

                return File.Exists(path) ? new FakeResponse(200) { FilePath = path } : Fail(404, "file not found", request);
            case ("DELETE", "files"):
                if (!Exists(path))
                {
                    return Fail(404, "file not found", request);
                }

                if (Directory.Exists(path))
                {
                    if (request.Query["recursive"] != "true")
                    {
                        return Fail(400, "directory without recursive=true", request);
                    }

                    Directory.Delete(path, recursive: true);
                }
                else
                {
                    File.Delete(path);
                }

                return new FakeResponse(204);
            case ("POST", "files/folder"):
                if (request.Query["mode"] is not { Length: > 0 })
                {
                    return Fail(400, "mode is required", request);
                }

                Directory.CreateDirectory(path);
                return new FakeResponse(201);
            case ("POST", "files/move"):
                if (Resolve(box, request.Query["destination"]) is not { } destination)
                {
                    return Fail(400, "invalid destination", request);
                }

                if (!Exists(path))
                {
                    return Fail(404, "source not found", request);
                }

                if (Exists(destination))
                {
                    return Fail(409, "destination exists", request);
                }

                if (Directory.Exists(path))
                {
                    Directory.Move(path, destination);
                }
                else
                {
                    File.Move(path, destination);
                }

                return new FakeResponse(200);
            case ("POST", "files/upload-v2"):
                if (Parts(request)?.FirstOrDefault(p => p.Name == "file") is not { } content)
                {
                    return Fail(400, "no multipart field 'file'", request);
                }

                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, content.Content);

                return new FakeResponse(200, new JsonObject { ["name"] = Path.GetFileName(path), ["path"] = request.Query["path"], ["type"] = "file" }.ToJsonString());
            default:
                return Fail(404, "no route", request);
        }
    }

    public static FakeResponse Git(FakeDaytonaServer.Sandbox box, string route, RecordedRequest request)
    {
        var json = request.Method == "GET" ? null : request.Json;
        var relative = request.Method == "GET" ? request.Query["path"] : json?["path"]?.GetValue<string>();
        if (Resolve(box, relative) is not { } repo)
        {
            return Fail(400, $"invalid path '{relative}'", request);
        }

        string? Field(string name) => json?[name]?.GetValue<string>();

        switch (request.Method, route)
        {
            case ("POST", "git/init"):
                Directory.CreateDirectory(repo);
                return Run(repo, request, 201, "init", "-q", "-b", "main");
            case ("POST", "git/clone"):
                var args = new List<string> { "clone", "-q" };
                if (Field("branch") is { } cloneBranch)
                {
                    args.AddRange(["--branch", cloneBranch]);
                }

                args.AddRange(["--", Field("url")!, repo]);
                return Run(box.Root, request, 200, [.. args]);
            case ("GET", "git/status"):
                return Status(repo, request);
            case ("POST", "git/add"):
                var files = json!["files"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
                return Run(repo, request, 200, ["add", "--", .. files]);
            case ("POST", "git/commit"):
                var committed = Git(repo, "-c", $"user.name={Field("author")}", "-c", $"user.email={Field("email")}", "commit", "-q", "-m", Field("message")!);
                if (committed.Code != 0)
                {
                    return Fail(500, committed.Output, request);
                }

                return new FakeResponse(200, new JsonObject { ["hash"] = Git(repo, "rev-parse", "HEAD").Output.Trim() }.ToJsonString());
            case ("GET", "git/branches"):
                var listed = Git(repo, "branch", "--format=%(refname:short)");
                if (listed.Code != 0)
                {
                    return Fail(500, listed.Output, request);
                }

                var names = listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(b => (JsonNode)JsonValue.Create(b)!).ToArray();
                return new FakeResponse(200, new JsonObject { ["branches"] = new JsonArray(names), ["current"] = Git(repo, "branch", "--show-current").Output.Trim() }.ToJsonString());
            case ("POST", "git/branches"):
                return Run(repo, request, 201, "branch", "--", Field("name")!);
            case ("POST", "git/checkout"):
                return Run(repo, request, 200, "checkout", "-q", Field("branch")!, "--");
            case ("POST", "git/push"):
                return Run(repo, request, 200, "push", "-q");
            case ("POST", "git/pull"):
                return Run(repo, request, 200, "pull", "-q");
            case ("GET", "git/history"):
                var log = Git(repo, "log", "--format=%H%x1f%an%x1f%ae%x1f%aI%x1f%B%x1e");
                if (log.Code != 0)
                {
                    return Fail(500, log.Output, request);
                }

                var commits = log.Output.Split('\x1e', StringSplitOptions.RemoveEmptyEntries)
                    .Select(r => r.TrimStart('\n').Split('\x1f'))
                    .Where(p => p.Length == 5)
                    .Select(p => (JsonNode)new JsonObject { ["hash"] = p[0], ["author"] = p[1], ["email"] = p[2], ["timestamp"] = p[3], ["message"] = p[4].TrimEnd('\n') })
                    .ToArray();
                return new FakeResponse(200, new JsonArray(commits).ToJsonString());
            default:
                return Fail(404, "no route", request);
        }
    }

    private static FakeResponse Status(string repo, RecordedRequest request)
    {
        var status = Git(repo, "status", "--porcelain=v1", "--branch", "-z", "--untracked-files=all");
        if (status.Code != 0)
        {
            return Fail(500, status.Output, request);
        }

        var branch = "";
        var files = new JsonArray();
        foreach (var entry in status.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry.StartsWith("## ", StringComparison.Ordinal))
            {
                var head = entry[3..];
                branch = head.StartsWith("No commits yet on ", StringComparison.Ordinal) ? head["No commits yet on ".Length..] : head.Split("...")[0].Split(' ')[0];
                continue;
            }

            if (entry.Length > 3)
            {
                files.Add(new JsonObject { ["name"] = entry[3..], ["staging"] = Name(entry[0]), ["worktree"] = Name(entry[1]), ["extra"] = "" });
            }
        }

        return new FakeResponse(200, new JsonObject { ["currentBranch"] = branch, ["fileStatus"] = files, ["ahead"] = 0, ["behind"] = 0 }.ToJsonString());
    }

    private static string Name(char code) => code switch
    {
        '?' => "Untracked",
        'M' => "Modified",
        'A' => "Added",
        'D' => "Deleted",
        'R' => "Renamed",
        'C' => "Copied",
        'U' => "Updated but unmerged",
        _ => "Unmodified",
    };

    private static FakeResponse Run(string directory, RecordedRequest request, int status, params string[] args)
    {
        var result = Git(directory, args);
        return result.Code == 0 ? new FakeResponse(status) : Fail(500, result.Output.Trim(), request);
    }

    /// <summary>Runs git with each argument as its own argv entry.</summary>
    public static (int Code, string Output) Git(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string? Resolve(FakeDaytonaServer.Sandbox box, string? relative)
    {
        // The provider sends paths relative to the working directory; anything else is a provider bug here.
        if (string.IsNullOrEmpty(relative) || relative.StartsWith('/') || relative.Split('/').Contains(".."))
        {
            return null;
        }

        return relative == "." ? box.Root : Path.Combine(box.Root, relative);
    }

    private static FakeResponse Fail(int status, string message, RecordedRequest request) =>
        new(status, FakeDaytonaServer.Error(status, message, request.Path));

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    private static FileSystemInfo Entry(string path) => Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);

    private static JsonObject Info(FileSystemInfo info)
    {
        var isDir = info is DirectoryInfo;
        var permissions = OperatingSystem.IsWindows()
            ? (isDir ? "0755" : "0644")
            : Convert.ToString((int)File.GetUnixFileMode(info.FullName) & 0x1FF, 8).PadLeft(4, '0');
        return new JsonObject
        {
            ["name"] = info.Name,
            ["size"] = info is FileInfo file ? file.Length : 4096,
            ["mode"] = (isDir ? "d" : "-") + "rwxr-xr-x",
            ["permissions"] = permissions,
            ["isDir"] = isDir,
            ["owner"] = "1000",
            ["group"] = "1000",
            ["modTime"] = info.LastWriteTimeUtc.ToString(CultureInfo.InvariantCulture),
            ["modifiedAt"] = info.LastWriteTimeUtc.ToString("O", CultureInfo.InvariantCulture),
            ["path"] = info.FullName,
        };
    }

    /// <summary>
    /// The parts of a multipart request in the order they were sent, or <see langword="null"/> when the body is not
    /// multipart (or is malformed, say cut short).
    /// </summary>
    public static IReadOnlyList<MultipartPart>? Parts(RecordedRequest request)
    {
        var type = request.Headers["Content-Type"];
        if (type is null || !type.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase)
            || !MediaTypeHeaderValue.TryParse(type, out var media) || HeaderUtilities.RemoveQuotes(media.Boundary).Value is not { Length: > 0 } boundary)
        {
            return null;
        }

        try
        {
            // The body is in memory already, so the async reader completes synchronously.
            return ReadPartsAsync(boundary, request.Bytes).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            return null;
        }
    }

    private static async Task<IReadOnlyList<MultipartPart>> ReadPartsAsync(string boundary, byte[] body)
    {
        var reader = new MultipartReader(boundary, new MemoryStream(body)) { BodyLengthLimit = null };
        var parts = new List<MultipartPart>();
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            var disposition = section.GetContentDispositionHeader();
            using var content = new MemoryStream();
            await section.Body.CopyToAsync(content);
            parts.Add(new MultipartPart(
                disposition is null ? null : HeaderUtilities.RemoveQuotes(disposition.Name).Value,
                disposition is null ? null : HeaderUtilities.RemoveQuotes(disposition.FileName).Value,
                section.ContentType,
                content.ToArray()));
        }

        return parts;
    }

    /// <summary>As the daemon's <c>UploadFiles</c>: <c>files[i].path</c> must come before <c>files[i].file</c>; errors are collected per file.</summary>
    private static FakeResponse BulkUpload(FakeDaytonaServer.Sandbox box, RecordedRequest request)
    {
        if (Parts(request) is not { } parts)
        {
            return new FakeResponse(400, new JsonObject { ["errors"] = new JsonArray("invalid multipart form") }.ToJsonString());
        }

        var destinations = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new JsonArray();
        var files = new JsonArray();
        foreach (var part in parts)
        {
            var name = part.Name ?? "";
            var index = name.Replace("files[", "", StringComparison.Ordinal).Replace("].path", "", StringComparison.Ordinal).Replace("].file", "", StringComparison.Ordinal);
            if (name.EndsWith(".path", StringComparison.Ordinal))
            {
                destinations[index] = Encoding.UTF8.GetString(part.Content);
                continue;
            }

            if (!name.EndsWith(".file", StringComparison.Ordinal))
            {
                continue;
            }

            if (!destinations.TryGetValue(index, out var destination))
            {
                errors.Add($"file[{index}]: missing .path metadata");
                continue;
            }

            if (Resolve(box, destination) is not { } target)
            {
                errors.Add($"{destination}: invalid path");
                continue;
            }

            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllBytes(target, part.Content);
                files.Add(new JsonObject { ["path"] = destination, ["bytes"] = part.Content.Length });
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add($"{destination}: write: {ex.Message}");
            }
        }

        return errors.Count > 0
            ? new FakeResponse(400, new JsonObject { ["errors"] = errors, ["files"] = files }.ToJsonString())
            : new FakeResponse(200, new JsonObject { ["files"] = files }.ToJsonString());
    }

    /// <summary>As the daemon's <c>DownloadFiles</c>: one part per path, streamed from disk, errors as parts inside a 200.</summary>
    private static FakeResponse BulkDownload(FakeDaytonaServer.Sandbox box, RecordedRequest request, bool legacy)
    {
        var paths = (request.Json?["paths"] as JsonArray)?.Select(p => p?.GetValue<string>() ?? "").ToList();
        if (paths is not { Count: > 0 })
        {
            return new FakeResponse(400, new JsonObject { ["error"] = "request body must be {\"paths\": [ ... ]} and non-empty" }.ToJsonString());
        }

        return new FakeResponse(200)
        {
            ContentType = $"multipart/form-data; boundary={DownloadBoundary}",
            Writer = async output =>
            {
                foreach (var path in paths)
                {
                    var target = Resolve(box, path);
                    var (status, code, message) = target is null ? (400, "INVALID_FILE_PATH", $"invalid file path: {path}")
                        : Directory.Exists(target) ? (400, "INVALID_FILE_PATH", $"invalid file path: path points to a directory: {path}")
                        : !File.Exists(target) ? (404, "FILE_NOT_FOUND", $"file not found: {path}")
                        : (0, "", "");
                    if (status != 0)
                    {
                        await WriteErrorPartAsync(output, path, status, code, message, legacy);
                        continue;
                    }

                    await using var file = File.OpenRead(target!);
                    await WritePartHeadAsync(output, "file", path, "application/octet-stream", legacy ? null : file.Length);
                    await file.CopyToAsync(output);
                    await output.WriteAsync("\r\n"u8.ToArray());
                }

                await output.WriteAsync(Encoding.ASCII.GetBytes($"--{DownloadBoundary}--\r\n"));
            },
        };
    }

    /// <summary>Starts a part of a bulk-download answer: the boundary line and headers (each part ends with CRLF after its content).</summary>
    public static Task WritePartHeadAsync(Stream output, string name, string path, string contentType, long? length)
    {
        var head = new StringBuilder()
            .Append($"--{DownloadBoundary}\r\n")
            .Append($"Content-Disposition: form-data; name=\"{name}\"; filename=\"{path}\"; filename*=utf-8''{Uri.EscapeDataString(path)}\r\n")
            .Append($"Content-Type: {contentType}\r\n");
        if (length is { } bytes)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {bytes}\r\n");
        }

        head.Append("\r\n");
        return output.WriteAsync(Encoding.UTF8.GetBytes(head.ToString())).AsTask();
    }

    private static async Task WriteErrorPartAsync(Stream output, string path, int status, string code, string message, bool legacy)
    {
        // v0.205 sends an ErrorResponse; older daemons send the text "file not found or invalid: <path>".
        var payload = legacy
            ? $"file not found or invalid: {path}"
            : new JsonObject
            {
                ["statusCode"] = status,
                ["message"] = message,
                ["code"] = code,
                ["timestamp"] = "2026-01-01T12:00:00Z",
                ["path"] = path,
                ["method"] = "POST",
            }.ToJsonString();
        await WritePartHeadAsync(output, "error", path, legacy ? "text/plain; charset=utf-8" : "application/json; charset=utf-8", null);
        await output.WriteAsync(Encoding.UTF8.GetBytes(payload + "\r\n"));
    }
}

/// <summary>One part of a multipart body.</summary>
internal sealed record MultipartPart(string? Name, string? FileName, string? ContentType, byte[] Content);
