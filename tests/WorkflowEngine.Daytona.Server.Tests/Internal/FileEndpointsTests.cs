using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace WorkflowEngine.Daytona.Server.Tests.Internal;

public sealed class FileEndpointsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string DownloadBoundary = "DAYTONA-FILE-BOUNDARY";

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private static string Query(string name, string value) => $"{name}={Uri.EscapeDataString(value)}";

    private async Task<string> RouteAsync(string route) => ServerFixture.Toolbox(await fixture.SharedSandboxAsync(), route);

    private async Task<string> CatAsync(string path)
    {
        var (exitCode, result) = await fixture.ExecAsync(await fixture.SharedSandboxAsync(), $"cat '{path}'");
        Assert.True(exitCode == 0, $"cat {path}: {result}");
        return result;
    }

    private async Task<bool> ExistsAsync(string path)
    {
        using var response = await fixture.Client.GetAsync(await RouteAsync("files/info?" + Query("path", path)));
        return response.StatusCode switch
        {
            HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            var other => throw new Xunit.Sdk.XunitException($"files/info {path}: {(int)other}"),
        };
    }

    [Fact]
    public async Task UploadV2_RawBody_CreatesParentsAndReturnsNamePathType()
    {
        var id = await fixture.SharedSandboxAsync();
        var path = $"{Unique("raw")}/sub/data.txt";
        var content = Unique("content") + "\nsecond line\n";

        var body = await fixture.UploadAsync(id, path, Encoding.UTF8.GetBytes(content));

        Assert.Equal("data.txt", body.GetProperty("name").GetString());
        Assert.Equal("/workspace/" + path, body.GetProperty("path").GetString());
        Assert.Equal("file", body.GetProperty("type").GetString());
        Assert.Equal(content, await CatAsync(path));
    }

    [Fact]
    public async Task UploadV2_MultipartFileField_WritesThatPartOnly()
    {
        var path = $"{Unique("multi")}/form.bin";
        var content = Encoding.UTF8.GetBytes(Unique("from-the-file-part"));
        using var form = new MultipartFormDataContent
        {
            { new StringContent("ignored field"), "comment" },
            { new ByteArrayContent(content), "file", "form.bin" },
        };

        using var response = await fixture.Client.PostAsync(await RouteAsync("files/upload-v2?" + Query("path", path)), form);

        var body = await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal("form.bin", body.GetProperty("name").GetString());
        Assert.Equal(content, await fixture.DownloadAsync(await fixture.SharedSandboxAsync(), path));
    }

    [Fact]
    public async Task UploadV2_MultipartWithoutFileField_Returns400()
    {
        using var form = new MultipartFormDataContent { { new StringContent("x"), "not-file" } };

        using var response = await fixture.Client.PostAsync(await RouteAsync("files/upload-v2?" + Query("path", Unique("nofile") + ".txt")), form);

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UploadV2_ExistingFile_IsOverwrittenWhole()
    {
        var id = await fixture.SharedSandboxAsync();
        var path = Unique("over") + ".txt";
        await fixture.UploadAsync(id, path, Encoding.UTF8.GetBytes("a much longer first version of the file"));

        await fixture.UploadAsync(id, path, Encoding.UTF8.GetBytes("short"));

        Assert.Equal("short", Encoding.UTF8.GetString(await fixture.DownloadAsync(id, path)));
    }

    [Fact]
    public async Task UploadV2_MissingPath_Returns400()
    {
        using var response = await fixture.Client.PostAsync(await RouteAsync("files/upload-v2"), new ByteArrayContent([1, 2, 3]));

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UploadThenDownload_FiveMegabyteBinary_RoundTripsBySha256()
    {
        var id = await fixture.SharedSandboxAsync();
        var path = $"{Unique("big")}/blob.bin";
        var content = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);

        await fixture.UploadAsync(id, path, content);
        using var response = await fixture.Client.GetAsync(ServerFixture.Toolbox(id, "files/download?" + Query("path", path)), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var downloaded = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(content.Length, response.Content.Headers.ContentLength);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(content)), Convert.ToHexString(SHA256.HashData(downloaded)));
        // The sandbox sees the same bytes the API stored.
        var (exitCode, result) = await fixture.ExecAsync(id, $"sha256sum '{path}'");
        Assert.Equal(0, exitCode);
        Assert.StartsWith(Convert.ToHexStringLower(SHA256.HashData(content)), result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_Folder_Returns400AndMissingFile_Returns404()
    {
        var folder = Unique("dl-folder");
        Assert.Equal(0, (await fixture.ExecAsync(await fixture.SharedSandboxAsync(), $"mkdir {folder}")).ExitCode);

        using var ofFolder = await fixture.Client.GetAsync(await RouteAsync("files/download?" + Query("path", folder)));
        using var ofMissing = await fixture.Client.GetAsync(await RouteAsync("files/download?" + Query("path", folder + "/nope.txt")));

        await HttpAssert.ExpectToolboxErrorAsync(ofFolder, HttpStatusCode.BadRequest);
        await HttpAssert.ExpectToolboxErrorAsync(ofMissing, HttpStatusCode.NotFound, "FILE_NOT_FOUND");
    }

    [Fact]
    public async Task BulkUploadThenBulkDownload_TwoFilesAndAMissingOne_ReturnsTwoFilePartsAndAnErrorPart()
    {
        var folder = Unique("bulk");
        var first = (Path: $"{folder}/one.txt", Content: Encoding.UTF8.GetBytes(Unique("first")));
        var second = (Path: $"{folder}/nested/two.bin", Content: RandomNumberGenerator.GetBytes(70_000));
        var missing = $"{folder}/missing.txt";
        using var form = new MultipartFormDataContent
        {
            { new StringContent(first.Path), "files[0].path" },
            { new ByteArrayContent(first.Content), "files[0].file", "one.txt" },
            { new StringContent(second.Path), "files[1].path" },
            { new ByteArrayContent(second.Content), "files[1].file", "two.bin" },
        };

        using var uploaded = await fixture.Client.PostAsync(await RouteAsync("files/bulk-upload"), form);
        var result = await HttpAssert.ExpectAsync(uploaded, HttpStatusCode.OK);
        var files = result.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("bytes").GetInt64());
        Assert.Equal(first.Content.Length, files[first.Path]);
        Assert.Equal(second.Content.Length, files[second.Path]);

        using var downloaded = await fixture.Client.PostAsJsonAsync(await RouteAsync("files/bulk-download"), new { paths = new[] { first.Path, second.Path, missing } });
        Assert.Equal(HttpStatusCode.OK, downloaded.StatusCode);
        var contentType = Microsoft.Net.Http.Headers.MediaTypeHeaderValue.Parse(downloaded.Content.Headers.ContentType!.ToString());
        Assert.Equal(DownloadBoundary, HeaderUtilities.RemoveQuotes(contentType.Boundary).Value);
        var parts = await ReadPartsAsync(downloaded, DownloadBoundary);

        Assert.Equal(3, parts.Count);
        Assert.Equal(("file", first.Path), (parts[0].Name, parts[0].FileName));
        Assert.Equal(first.Content, parts[0].Body);
        Assert.Equal(("file", second.Path), (parts[1].Name, parts[1].FileName));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(second.Content)), Convert.ToHexString(SHA256.HashData(parts[1].Body)));
        Assert.Equal("error", parts[2].Name);
        using var error = JsonDocument.Parse(parts[2].Body);
        Assert.Equal("FILE_NOT_FOUND", error.RootElement.GetProperty("code").GetString());
        Assert.Equal(404, error.RootElement.GetProperty("statusCode").GetInt32());
        Assert.False(string.IsNullOrEmpty(error.RootElement.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task BulkDownload_Folder_GivesAnInvalidFilePathErrorPart()
    {
        var folder = Unique("bulk-dir");
        Assert.Equal(0, (await fixture.ExecAsync(await fixture.SharedSandboxAsync(), $"mkdir {folder}")).ExitCode);

        using var response = await fixture.Client.PostAsJsonAsync(await RouteAsync("files/bulk-download"), new { paths = new[] { folder } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var part = Assert.Single(await ReadPartsAsync(response, DownloadBoundary));
        Assert.Equal("error", part.Name);
        using var error = JsonDocument.Parse(part.Body);
        Assert.Equal("INVALID_FILE_PATH", error.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task UploadV2_OntoAFolder_IsRefusedAndKeepsTheFolder()
    {
        var folder = Unique("upload-dir");
        Assert.Equal(0, (await fixture.ExecAsync(await fixture.SharedSandboxAsync(), $"mkdir -p {folder}/keep")).ExitCode);

        using var body = new ByteArrayContent([1]);
        using var response = await fixture.Client.PostAsync(await RouteAsync("files/upload-v2?" + Query("path", folder)), body);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.True(await ExistsAsync(folder + "/keep"));
    }

    [Fact]
    public async Task BulkUpload_FilePartBeforeItsPath_Returns400AndWritesNothing()
    {
        var path = Unique("order") + ".txt";
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent([1, 2, 3]), "files[0].file", "x.bin" },
            { new StringContent(path), "files[0].path" },
        };

        using var response = await fixture.Client.PostAsync(await RouteAsync("files/bulk-upload"), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await ExistsAsync(path));
    }

    [Fact]
    public async Task BulkUpload_NotMultipart_Returns400()
    {
        using var response = await fixture.Client.PostAsJsonAsync(await RouteAsync("files/bulk-upload"), new { files = Array.Empty<string>() });

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task BulkDownload_EmptyPaths_Returns400()
    {
        using var response = await fixture.Client.PostAsJsonAsync(await RouteAsync("files/bulk-download"), new { paths = Array.Empty<string>() });

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task BulkDownload_UnknownSandbox_Returns404()
    {
        using var response = await fixture.Client.PostAsJsonAsync(ServerFixture.Toolbox("sandbox-000000000000", "files/bulk-download"), new { paths = new[] { "a.txt" } });

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_DepthTwo_IncludesGrandchildrenButNotDeeper()
    {
        var root = Unique("tree");
        Assert.Equal(0, (await fixture.ExecAsync(await fixture.SharedSandboxAsync(), $"mkdir -p {root}/a/b/c && touch {root}/top.txt {root}/a/mid.txt {root}/a/b/deep.txt")).ExitCode);

        using var shallow = await fixture.Client.GetAsync(await RouteAsync("files?" + Query("path", root)));
        using var deeper = await fixture.Client.GetAsync(await RouteAsync("files?" + Query("path", root) + "&depth=2"));
        var depthOne = (await HttpAssert.ExpectAsync(shallow, HttpStatusCode.OK)).EnumerateArray().ToList();
        var depthTwo = (await HttpAssert.ExpectAsync(deeper, HttpStatusCode.OK)).EnumerateArray().ToList();

        string[] Paths(List<JsonElement> entries) => entries.Select(e => e.GetProperty("path").GetString()!).Order(StringComparer.Ordinal).ToArray();
        var prefix = "/workspace/" + root;
        Assert.Equal([$"{prefix}/a", $"{prefix}/top.txt"], Paths(depthOne));
        Assert.Equal([$"{prefix}/a", $"{prefix}/a/b", $"{prefix}/a/mid.txt", $"{prefix}/top.txt"], Paths(depthTwo));
        var folder = depthTwo.Single(e => e.GetProperty("name").GetString() == "b");
        Assert.True(folder.GetProperty("isDir").GetBoolean());
        Assert.False(depthTwo.Single(e => e.GetProperty("name").GetString() == "mid.txt").GetProperty("isDir").GetBoolean());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("deep")]
    public async Task List_InvalidDepth_Returns400(string depth)
    {
        using var response = await fixture.Client.GetAsync(await RouteAsync("files?depth=" + depth));

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task List_MissingFolder_Returns404FileNotFound()
    {
        using var response = await fixture.Client.GetAsync(await RouteAsync("files?" + Query("path", Unique("absent"))));

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.NotFound, "FILE_NOT_FOUND");
    }

    [Fact]
    public async Task Info_FileAndFolder_ReportModePermissionsAndSize()
    {
        var id = await fixture.SharedSandboxAsync();
        var folder = Unique("info");
        var content = Encoding.UTF8.GetBytes(Unique("sized"));
        await fixture.UploadAsync(id, folder + "/f.txt", content);
        Assert.Equal(0, (await fixture.ExecAsync(id, $"chmod 640 {folder}/f.txt && chmod 750 {folder}")).ExitCode);

        using var fileResponse = await fixture.Client.GetAsync(ServerFixture.Toolbox(id, "files/info?" + Query("path", folder + "/f.txt")));
        using var folderResponse = await fixture.Client.GetAsync(ServerFixture.Toolbox(id, "files/info?" + Query("path", folder)));
        var file = await HttpAssert.ExpectAsync(fileResponse, HttpStatusCode.OK);
        var dir = await HttpAssert.ExpectAsync(folderResponse, HttpStatusCode.OK);

        Assert.Equal("f.txt", file.GetProperty("name").GetString());
        Assert.Equal(content.Length, file.GetProperty("size").GetInt64());
        Assert.False(file.GetProperty("isDir").GetBoolean());
        Assert.Equal("-rw-r-----", file.GetProperty("mode").GetString());
        Assert.Equal("0640", file.GetProperty("permissions").GetString());
        Assert.True(dir.GetProperty("isDir").GetBoolean());
        Assert.Equal("drwxr-x---", dir.GetProperty("mode").GetString());
        Assert.Equal("0750", dir.GetProperty("permissions").GetString());
        // Numeric ids as strings, as the daemon reports them, and the ids the sandbox itself sees.
        var (_, ids) = await fixture.ExecAsync(id, $"stat -c '%u %g' {folder}/f.txt");
        foreach (var entry in new[] { file, dir })
        {
            Assert.Equal(ids.Trim(), $"{entry.GetProperty("owner").GetString()} {entry.GetProperty("group").GetString()}");
            Assert.False(string.IsNullOrEmpty(entry.GetProperty("modTime").GetString()));
            var modified = DateTimeOffset.Parse(entry.GetProperty("modifiedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(modified, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        }
    }

    [Fact]
    public async Task Info_MissingPath_Returns404FileNotFound()
    {
        using var response = await fixture.Client.GetAsync(await RouteAsync("files/info?" + Query("path", Unique("ghost") + ".txt")));

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.NotFound, "FILE_NOT_FOUND");
    }

    [Fact]
    public async Task CreateFolder_NestedPath_Returns201AndCreatesEveryLevel()
    {
        var path = $"{Unique("mk")}/x/y";

        using var response = await fixture.Client.PostAsync(await RouteAsync($"files/folder?{Query("path", path)}&mode=755"), null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var info = await fixture.Client.GetAsync(await RouteAsync("files/info?" + Query("path", path)));
        Assert.True((await HttpAssert.ExpectAsync(info, HttpStatusCode.OK)).GetProperty("isDir").GetBoolean());
    }

    [Fact]
    public async Task CreateFolder_WithoutMode_Returns400()
    {
        var path = Unique("nomode");

        using var response = await fixture.Client.PostAsync(await RouteAsync("files/folder?" + Query("path", path)), null);

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.False(await ExistsAsync(path));
    }

    [Fact]
    public async Task Move_ToFreeDestination_Returns200AndMovesTheFile()
    {
        var id = await fixture.SharedSandboxAsync();
        var folder = Unique("mv");
        var content = Unique("moved");
        await fixture.UploadAsync(id, folder + "/from.txt", Encoding.UTF8.GetBytes(content));

        using var response = await fixture.Client.PostAsync(ServerFixture.Toolbox(id, $"files/move?{Query("source", folder + "/from.txt")}&{Query("destination", folder + "/to.txt")}"), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await ExistsAsync(folder + "/from.txt"));
        Assert.Equal(content, await CatAsync(folder + "/to.txt"));
    }

    [Fact]
    public async Task Move_OntoExistingFile_Returns409AndChangesNothing()
    {
        var id = await fixture.SharedSandboxAsync();
        var folder = Unique("mv409");
        await fixture.UploadAsync(id, folder + "/a.txt", Encoding.UTF8.GetBytes("A"));
        await fixture.UploadAsync(id, folder + "/b.txt", Encoding.UTF8.GetBytes("B"));

        using var response = await fixture.Client.PostAsync(ServerFixture.Toolbox(id, $"files/move?{Query("source", folder + "/a.txt")}&{Query("destination", folder + "/b.txt")}"), null);

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("A", await CatAsync(folder + "/a.txt"));
        Assert.Equal("B", await CatAsync(folder + "/b.txt"));
    }

    [Fact]
    public async Task Move_MissingSource_Returns404()
    {
        var folder = Unique("mv404");

        using var response = await fixture.Client.PostAsync(await RouteAsync($"files/move?{Query("source", folder + "/none.txt")}&{Query("destination", folder + "-x.txt")}"), null);

        await HttpAssert.ExpectToolboxErrorAsync(response, HttpStatusCode.NotFound, "FILE_NOT_FOUND");
    }

    [Fact]
    public async Task Delete_FolderWithoutRecursive_Returns400ThenWithRecursiveReturns204()
    {
        var id = await fixture.SharedSandboxAsync();
        var folder = Unique("rm");
        await fixture.UploadAsync(id, folder + "/inner/file.txt", [42]);

        using var refused = await fixture.Client.DeleteAsync(ServerFixture.Toolbox(id, "files?" + Query("path", folder)));
        await HttpAssert.ExpectToolboxErrorAsync(refused, HttpStatusCode.BadRequest);
        Assert.True(await ExistsAsync(folder + "/inner/file.txt"));

        using var deleted = await fixture.Client.DeleteAsync(ServerFixture.Toolbox(id, $"files?{Query("path", folder)}&recursive=true"));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.False(await ExistsAsync(folder));
    }

    [Fact]
    public async Task Delete_File_Returns204AndMissingReturns404()
    {
        var id = await fixture.SharedSandboxAsync();
        var path = Unique("rmfile") + ".txt";
        await fixture.UploadAsync(id, path, [1]);

        using var deleted = await fixture.Client.DeleteAsync(ServerFixture.Toolbox(id, "files?" + Query("path", path)));
        using var again = await fixture.Client.DeleteAsync(ServerFixture.Toolbox(id, "files?" + Query("path", path)));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await HttpAssert.ExpectToolboxErrorAsync(again, HttpStatusCode.NotFound, "FILE_NOT_FOUND");
    }

    [Theory]
    [InlineData("../../{0}")]
    [InlineData("../{0}")]
    [InlineData("/workspace/../{0}")]
    [InlineData("sub/../../{0}")]
    [InlineData("/etc/{0}")]
    [InlineData("/tmp/{0}")]
    [InlineData("/{0}")]
    public async Task UploadV2_PathOutsideWorkspace_IsRefusedAndWritesNothing(string template)
    {
        var marker = Unique("escape");
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, marker);

        using var body = new ByteArrayContent(Encoding.UTF8.GetBytes("escaped"));
        using var response = await fixture.Client.PostAsync(await RouteAsync("files/upload-v2?" + Query("path", path)), body);

        Assert.InRange((int)response.StatusCode, 400, 499);
        AssertNoHostFile(marker);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("/workspace/../../../etc/passwd")]
    public async Task UploadV2_OverHostPasswd_IsRefusedAndLeavesItIntact(string path)
    {
        var before = SHA256.HashData(await File.ReadAllBytesAsync("/etc/passwd"));

        using var body = new ByteArrayContent(Encoding.UTF8.GetBytes("pwned::0:0::/:/bin/sh\n"));
        using var response = await fixture.Client.PostAsync(await RouteAsync("files/upload-v2?" + Query("path", path)), body);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal(before, SHA256.HashData(await File.ReadAllBytesAsync("/etc/passwd")));
    }

    [Theory]
    [InlineData("files/download?path={0}", "GET")]
    [InlineData("files/info?path={0}", "GET")]
    [InlineData("files?path={0}", "GET")]
    [InlineData("files?path={0}&recursive=true", "DELETE")]
    [InlineData("files/folder?path={0}&mode=755", "POST")]
    public async Task FileRoutes_HostPaths_AreRefusedWith4xx(string template, string method)
    {
        foreach (var path in new[] { "../../etc/passwd", "/etc/passwd", "/etc", "../.." })
        {
            var route = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Uri.EscapeDataString(path));

            using var response = await fixture.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), await RouteAsync(route)));

            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{method} {route}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.True(File.Exists("/etc/passwd"));
    }

    [Fact]
    public async Task BulkDownload_HostPath_GivesAnErrorPartNotTheFile()
    {
        using var response = await fixture.Client.PostAsJsonAsync(await RouteAsync("files/bulk-download"), new { paths = new[] { "/etc/passwd", "../../etc/passwd" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var parts = await ReadPartsAsync(response, DownloadBoundary);
        Assert.Equal(2, parts.Count);
        Assert.All(parts, part => Assert.Equal("error", part.Name));
    }

    [Fact]
    public async Task BulkUpload_PathOutsideWorkspace_Returns400AndWritesNothing()
    {
        var marker = Unique("bulk-escape");
        using var form = new MultipartFormDataContent
        {
            { new StringContent("../../" + marker), "files[0].path" },
            { new ByteArrayContent([1, 2, 3]), "files[0].file", "x.bin" },
        };

        using var response = await fixture.Client.PostAsync(await RouteAsync("files/bulk-upload"), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertNoHostFile(marker);
    }

    [Fact]
    public async Task Download_SymlinkToHostFile_IsRefused()
    {
        var id = await fixture.SharedSandboxAsync();
        var link = Unique("link");
        Assert.Equal(0, (await fixture.ExecAsync(id, $"ln -s /etc/passwd {link}")).ExitCode);

        using var response = await fixture.Client.GetAsync(ServerFixture.Toolbox(id, "files/download?" + Query("path", link)));

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadV2_ThroughSymlinkedFolder_IsRefusedAndWritesNothingOutside()
    {
        var id = await fixture.SharedSandboxAsync();
        var outside = Path.Combine(Path.GetTempPath(), Unique("host-target"));
        Directory.CreateDirectory(outside);
        try
        {
            var link = Unique("dirlink");
            Assert.Equal(0, (await fixture.ExecAsync(id, $"ln -s '{outside}' {link}")).ExitCode);

            using var body = new ByteArrayContent([1, 2, 3]);
            using var response = await fixture.Client.PostAsync(ServerFixture.Toolbox(id, "files/upload-v2?" + Query("path", link + "/x.bin")), body);

            Assert.InRange((int)response.StatusCode, 400, 499);
            Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    private void AssertNoHostFile(string marker)
    {
        var found = Directory.EnumerateFileSystemEntries(fixture.DataDirectory, "*" + marker + "*", SearchOption.AllDirectories).ToList();
        Assert.Empty(found);
        foreach (var folder in new[] { "/", "/etc", "/tmp", Path.GetTempPath() })
        {
            Assert.False(File.Exists(Path.Combine(folder, marker)) || Directory.Exists(Path.Combine(folder, marker)), $"{marker} was written to {folder}");
        }
    }

    private static async Task<List<(string Name, string? FileName, byte[] Body)>> ReadPartsAsync(HttpResponseMessage response, string boundary)
    {
        var parts = new List<(string, string?, byte[])>();
        var reader = new MultipartReader(boundary, await response.Content.ReadAsStreamAsync());
        MultipartSection? section;
        while ((section = await reader.ReadNextSectionAsync()) is not null)
        {
            Assert.True(ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition), section.ContentDisposition);
            using var buffer = new MemoryStream();
            await section.Body.CopyToAsync(buffer);
            parts.Add((HeaderUtilities.RemoveQuotes(disposition!.Name).Value!, HeaderUtilities.RemoveQuotes(disposition.FileName).Value, buffer.ToArray()));
        }

        return parts;
    }
}
