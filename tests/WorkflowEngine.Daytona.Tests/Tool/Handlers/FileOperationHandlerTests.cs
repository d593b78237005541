using WorkflowEngine.Daytona.Tests.Support;

namespace WorkflowEngine.Daytona.Tests.Tool.Handlers;

public class FileOperationHandlerTests
{
    private const string Create = """
        - id: create
          tool: daytona_environment
          method: create_sandbox
          params: {}
        """;

    private const string LocalRootConfig = """
        config:
          local_root: "{LOCAL_ROOT}"
        """;

    private static string FileStep(string id, string parameters) => $$"""
        - id: {{id}}
          tool: daytona_environment
          method: file_operation
          params:
            sandbox_id: ${steps.create.output.sandbox_id}
        {{parameters}}
        """;

    [Fact]
    public async Task FileOperation_WriteReadListDelete_RoundTrips()
    {
        const string content = "line one\nünïcödé \"quoted\" $(not run)\n";
        await using var host = DaytonaHost.Create(string.Join('\n',
            Create,
            FileStep("write", """
                    operation: write
                    file_path: notes/hello.txt
                    content: "line one\nünïcödé \"quoted\" $(not run)\n"
                """),
            FileStep("read", """
                    operation: read
                    file_path: /workspace/notes/hello.txt
                """),
            FileStep("list", """
                    operation: list
                    file_path: notes
                """),
            FileStep("list_root", """
                    operation: list
                """),
            FileStep("delete", """
                    operation: delete
                    file_path: notes/hello.txt
                """),
            FileStep("list_after", """
                    operation: list
                    file_path: notes
                """)));

        var result = await host.RunSucceededAsync();

        var write = DaytonaHost.Output(result, "write");
        Assert.True(write["success"] is true, write.GetValueOrDefault("error") as string);
        Assert.Equal("write", write["operation"]);
        Assert.Equal("notes/hello.txt", write["file_path"]);
        var read = DaytonaHost.Output(result, "read");
        Assert.True(read["success"] is true, read.GetValueOrDefault("error") as string);
        Assert.Equal(content, read["content"]);
        var files = Assert.IsType<List<object?>>(DaytonaHost.Output(result, "list")["files"]);
        Assert.Contains("hello.txt", files);
        Assert.Contains("notes/", Assert.IsType<List<object?>>(DaytonaHost.Output(result, "list_root")["files"]));
        Assert.Equal(true, DaytonaHost.Output(result, "delete")["success"]);
        Assert.DoesNotContain("hello.txt", Assert.IsType<List<object?>>(DaytonaHost.Output(result, "list_after")["files"]));
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task FileOperation_CreateOperation_IsAcceptedAsWrite()
    {
        await using var host = DaytonaHost.Create(string.Join('\n',
            Create,
            FileStep("create_file", """
                    operation: create
                    file_path: app.py
                    content: "print('created')"
                """),
            """
            - id: run
              tool: daytona_environment
              method: execute_shell
              params:
                sandbox_id: ${steps.create.output.sandbox_id}
                command: python3 app.py
            """));

        var result = await host.RunSucceededAsync();

        var created = DaytonaHost.Output(result, "create_file");
        Assert.True(created["success"] is true, created.GetValueOrDefault("error") as string);
        Assert.Equal("write", created["operation"]);
        Assert.Equal("created\n", DaytonaHost.Output(result, "run")["stdout"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task FileOperation_ReadMissingFile_FailsWithNotFound()
    {
        await using var host = DaytonaHost.Create(string.Join('\n', Create, FileStep("read", """
                    operation: read
                    file_path: nothing-here.txt
                """)));

        var result = await host.RunSucceededAsync();

        var read = DaytonaHost.Output(result, "read");
        Assert.Equal(false, read["success"]);
        Assert.Equal("not_found", read["error_type"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task FileOperation_PathOutsideWorkspace_FailsWithInvalidArgument()
    {
        await using var host = DaytonaHost.Create(string.Join('\n', Create, FileStep("read", """
                    operation: read
                    file_path: ../../etc/passwd
                """)));

        var result = await host.RunSucceededAsync();

        var read = DaytonaHost.Output(result, "read");
        Assert.Equal(false, read["success"]);
        Assert.Equal("invalid_argument", read["error_type"]);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task FileOperation_UploadAndDownloadUnderLocalRoot_CopyTheFile()
    {
        await using var host = DaytonaHost.Create(string.Join('\n',
            Create,
            FileStep("upload", """
                    operation: upload
                    file_path: data/input.txt
                    local_path: input.txt
                """),
            FileStep("read", """
                    operation: read
                    file_path: data/input.txt
                """),
            FileStep("download", """
                    operation: download
                    file_path: data/input.txt
                    local_path: "{LOCAL_ROOT}/copies/output.txt"
                """)),
            LocalRootConfig);
        await File.WriteAllTextAsync(Path.Combine(host.LocalRoot, "input.txt"), "from the host\n");
        Directory.CreateDirectory(Path.Combine(host.LocalRoot, "copies"));

        var result = await host.RunSucceededAsync();

        var upload = DaytonaHost.Output(result, "upload");
        Assert.True(upload["success"] is true, upload.GetValueOrDefault("error") as string);
        Assert.Equal("from the host\n", DaytonaHost.Output(result, "read")["content"]);
        var download = DaytonaHost.Output(result, "download");
        Assert.True(download["success"] is true, download.GetValueOrDefault("error") as string);
        Assert.Equal("from the host\n", await File.ReadAllTextAsync(Path.Combine(host.LocalRoot, "copies", "output.txt")));
        Assert.False(File.Exists(Path.Combine(host.LocalRoot, "copies", "output.txt.wfe-partial")));
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task FileOperation_DownloadRelativePathWithoutLocalRoot_WritesUnderCurrentDirectory()
    {
        var name = "wfe-download-" + Guid.NewGuid().ToString("N")[..8] + ".txt";
        var expected = Path.Combine(Directory.GetCurrentDirectory(), name);
        await using var host = DaytonaHost.Create(string.Join('\n',
            Create,
            FileStep("write", """
                    operation: write
                    file_path: out.txt
                    content: "downloaded"
                """),
            FileStep("download", $"""
                    operation: download
                    file_path: out.txt
                    local_path: {name}
                """)));
        try
        {
            var result = await host.RunSucceededAsync();

            var download = DaytonaHost.Output(result, "download");
            Assert.True(download["success"] is true, download.GetValueOrDefault("error") as string);
            Assert.Equal(expected, download["local_path"]);
            Assert.Equal("downloaded", await File.ReadAllTextAsync(expected));
            await host.AssertNoSandboxesLeftAsync();
        }
        finally
        {
            File.Delete(expected);
        }
    }

    [Theory]
    [InlineData("upload", "/etc/passwd")]
    [InlineData("upload", "../outside.txt")]
    [InlineData("download", "/tmp/wfe-should-not-exist.txt")]
    [InlineData("download", "../outside.txt")]
    public async Task FileOperation_LocalPathOutsideLocalRoot_IsRefusedWithInvalidArgument(string operation, string localPath)
    {
        await using var host = DaytonaHost.Create(string.Join('\n',
            Create,
            FileStep("write", """
                    operation: write
                    file_path: secret.txt
                    content: "sandbox data"
                """),
            FileStep("transfer", $"""
                    operation: {operation}
                    file_path: secret.txt
                    local_path: "{localPath}"
                """)),
            LocalRootConfig);
        await File.WriteAllTextAsync(Path.Combine(host.Root, "outside.txt"), "host data");

        var result = await host.RunSucceededAsync();

        var transfer = DaytonaHost.Output(result, "transfer");
        Assert.Equal(false, transfer["success"]);
        Assert.Equal("invalid_argument", transfer["error_type"]);
        Assert.Contains("local_path", transfer.GetValueOrDefault("error") as string);
        Assert.Equal("host data", await File.ReadAllTextAsync(Path.Combine(host.Root, "outside.txt")));
        Assert.False(File.Exists("/tmp/wfe-should-not-exist.txt"));
        var read = await host.Provider.Files.ReadAsync(Assert.IsType<string>(DaytonaHost.Output(result, "create")["sandbox_id"]), "secret.txt");
        Assert.False(read.Succeeded, "The run's sandbox should be gone after the run.");
        await host.AssertNoSandboxesLeftAsync();
    }

    [Theory]
    [InlineData("/etc/hostname")]
    [InlineData("/proc/self/environ")]
    public async Task FileOperation_UploadFromSystemFolderUnderRootLocalRoot_IsRefused(string localPath)
    {
        // The rule git clone follows too: /proc, /sys, /dev and /etc stay out of reach even when local_root holds them.
        await using var host = DaytonaHost.Create(string.Join('\n',
            Create,
            FileStep("upload", $"""
                    operation: upload
                    file_path: copied.txt
                    local_path: "{localPath}"
                """)),
            """
            config:
              local_root: "/"
            """);

        var result = await host.RunSucceededAsync();

        var upload = DaytonaHost.Output(result, "upload");
        Assert.Equal(false, upload["success"]);
        Assert.Equal("invalid_argument", upload["error_type"]);
        Assert.Contains("no sandbox may reach", upload.GetValueOrDefault("error") as string);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task FileOperation_LocalPathThroughSymlinkedFolderOutsideLocalRoot_IsRefused()
    {
        await using var host = DaytonaHost.Create(string.Join('\n',
            Create,
            FileStep("upload", """
                    operation: upload
                    file_path: stolen.txt
                    local_path: etc-link/passwd
                """),
            FileStep("write", """
                    operation: write
                    file_path: planted.txt
                    content: "planted"
                """),
            FileStep("download", """
                    operation: download
                    file_path: planted.txt
                    local_path: out-link/planted.txt
                """)),
            LocalRootConfig);
        var outside = Path.Combine(host.Root, "outside");
        Directory.CreateDirectory(outside);
        Directory.CreateSymbolicLink(Path.Combine(host.LocalRoot, "etc-link"), "/etc");
        Directory.CreateSymbolicLink(Path.Combine(host.LocalRoot, "out-link"), outside);

        var result = await host.RunSucceededAsync();

        var upload = DaytonaHost.Output(result, "upload");
        Assert.Equal(false, upload["success"]);
        Assert.Equal("invalid_argument", upload["error_type"]);
        var download = DaytonaHost.Output(result, "download");
        Assert.Equal(false, download["success"]);
        Assert.Equal("invalid_argument", download["error_type"]);
        Assert.False(File.Exists(Path.Combine(outside, "planted.txt")));
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task FileOperation_MissingFilePath_FailsWithInvalidParameters()
    {
        await using var host = DaytonaHost.Create(string.Join('\n', Create, FileStep("read", """
                    operation: read
                """)));

        var result = await host.RunSucceededAsync();

        var read = DaytonaHost.Output(result, "read");
        Assert.Equal(false, read["success"]);
        Assert.Equal("invalid_parameters", read["error_type"]);
        Assert.Contains("file_path", read.GetValueOrDefault("error") as string);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task FileOperation_UploadWithoutLocalPath_FailsWithInvalidParameters()
    {
        await using var host = DaytonaHost.Create(string.Join('\n', Create, FileStep("upload", """
                    operation: upload
                    file_path: x.txt
                """)));

        var result = await host.RunSucceededAsync();

        var upload = DaytonaHost.Output(result, "upload");
        Assert.Equal(false, upload["success"]);
        Assert.Equal("invalid_parameters", upload["error_type"]);
        Assert.Contains("local_path", upload.GetValueOrDefault("error") as string);
        await host.AssertNoSandboxesLeftAsync();
    }

    [Fact]
    public async Task FileOperation_UnknownOperation_FailsListingValidOperations()
    {
        await using var host = DaytonaHost.Create(string.Join('\n', Create, FileStep("op", """
                    operation: explode
                    file_path: x.txt
                """)));

        var result = await host.RunSucceededAsync();

        var output = DaytonaHost.Output(result, "op");
        Assert.Equal(false, output["success"]);
        Assert.Equal("invalid_parameters", output["error_type"]);
        var error = Assert.IsType<string>(output["error"]);
        foreach (var operation in new[] { "read", "write", "list", "delete", "upload", "download" })
        {
            Assert.Contains(operation, error);
        }

        await host.AssertNoSandboxesLeftAsync();
    }
}
