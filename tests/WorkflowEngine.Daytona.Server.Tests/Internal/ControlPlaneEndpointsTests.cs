using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WorkflowEngine.Daytona.Local;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Server.Tests.Internal;

public sealed class ControlPlaneEndpointsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string LanguageLabel = "code-toolbox-language";

    private static readonly string[] RequiredSandboxFields =
        ["id", "organizationId", "name", "user", "env", "labels", "public", "networkBlockAll", "target", "cpu", "gpu", "memory", "disk", "toolboxProxyUrl"];

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private static string Id(JsonElement sandbox) => sandbox.GetProperty("id").GetString()!;

    [Fact]
    public async Task Create_EmptyBody_ReturnsEveryRequiredFieldAndStartedState()
    {
        var sandbox = await fixture.CreateSandboxAsync();

        foreach (var field in RequiredSandboxFields)
        {
            Assert.True(sandbox.TryGetProperty(field, out _), $"Sandbox lacks required field '{field}': {sandbox}");
        }

        foreach (var field in new[] { "id", "organizationId", "name", "user", "target", "toolboxProxyUrl" })
        {
            Assert.Equal(JsonValueKind.String, sandbox.GetProperty(field).ValueKind);
            Assert.False(string.IsNullOrEmpty(sandbox.GetProperty(field).GetString()), field);
        }

        Assert.Equal(JsonValueKind.Object, sandbox.GetProperty("env").ValueKind);
        Assert.Equal(JsonValueKind.Object, sandbox.GetProperty("labels").ValueKind);
        foreach (var field in new[] { "cpu", "gpu", "memory", "disk" })
        {
            Assert.Equal(JsonValueKind.Number, sandbox.GetProperty(field).ValueKind);
        }

        Assert.Contains(sandbox.GetProperty("public").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.Equal("started", sandbox.GetProperty("state").GetString());
        Assert.True(DateTimeOffset.TryParse(sandbox.GetProperty("createdAt").GetString(), out _));
        // Without autoDeleteInterval a sandbox is not ephemeral.
        Assert.NotEqual(0, sandbox.GetProperty("autoDeleteInterval").GetDouble());
    }

    [Fact]
    public async Task Create_LanguageAndOtherLabels_RoundTripThroughCreateGetAndList()
    {
        var team = Unique("team");
        var created = await fixture.CreateSandboxAsync(new { labels = new Dictionary<string, string> { [LanguageLabel] = "javascript", ["team"] = team } });

        using var got = await fixture.Client.GetAsync("api/sandbox/" + Id(created));
        var fetched = await HttpAssert.ExpectAsync(got, HttpStatusCode.OK);
        using var listed = await fixture.Client.GetAsync("api/sandbox?labels=" + Uri.EscapeDataString(JsonSerializer.Serialize(new Dictionary<string, string> { ["team"] = team })));
        var item = Assert.Single((await HttpAssert.ExpectAsync(listed, HttpStatusCode.OK)).GetProperty("items").EnumerateArray());

        foreach (var view in new[] { created, fetched, item })
        {
            Assert.Equal("javascript", view.GetProperty("labels").GetProperty(LanguageLabel).GetString());
            Assert.Equal(team, view.GetProperty("labels").GetProperty("team").GetString());
        }
    }

    [Fact]
    public async Task Create_WithoutLanguageLabel_ReportsTheDefaultLanguageLabel()
    {
        var created = await fixture.CreateSandboxAsync(new { labels = new Dictionary<string, string> { ["x"] = "y" } });

        // SDKs pick the code-run language from this label, so it must always be there.
        Assert.False(string.IsNullOrEmpty(created.GetProperty("labels").GetProperty(LanguageLabel).GetString()));
        Assert.Equal("y", created.GetProperty("labels").GetProperty("x").GetString());
    }

    [Fact]
    public async Task Create_Env_IsReportedAndReachesCommands()
    {
        var value = Unique("value");
        var created = await fixture.CreateSandboxAsync(new { env = new Dictionary<string, string> { ["A"] = value } });

        Assert.Equal(value, created.GetProperty("env").GetProperty("A").GetString());
        var (exitCode, result) = await fixture.ExecAsync(Id(created), "echo $A");
        Assert.Equal(0, exitCode);
        Assert.Equal(value, result.Trim());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Create_NetworkNotAllowedByOperator_AlwaysReportsNetworkBlockAll(bool? networkBlockAll)
    {
        var created = await fixture.CreateSandboxAsync(new { networkBlockAll });

        Assert.True(created.GetProperty("networkBlockAll").GetBoolean());
    }

    [Fact]
    public async Task Create_NetworkAllowedByOperator_OpensOnlyWhenAskedFor()
    {
        await using var server = await DaytonaServer.StartAsync(fixture.Provider, new DaytonaServerOptions { Port = 0, ApiKey = ServerFixture.ApiKey, AllowNetwork = true });
        var client = fixture.NewClient(ServerFixture.ApiKey, server.BaseUrl);

        var open = await fixture.CreateSandboxAsync(new { networkBlockAll = false }, client);
        var unspecified = await fixture.CreateSandboxAsync(new { }, client);
        var blocked = await fixture.CreateSandboxAsync(new { networkBlockAll = true }, client);

        Assert.False(open.GetProperty("networkBlockAll").GetBoolean());
        Assert.True(unspecified.GetProperty("networkBlockAll").GetBoolean());
        Assert.True(blocked.GetProperty("networkBlockAll").GetBoolean());
    }

    [Fact]
    public async Task Create_Resources_AreReportedInDaytonaUnits()
    {
        var created = await fixture.CreateSandboxAsync(new { cpu = 1, memory = 1, disk = 2 });

        Assert.Equal(1, created.GetProperty("cpu").GetDouble());
        Assert.Equal(1, created.GetProperty("memory").GetDouble());
        Assert.Equal(2, created.GetProperty("disk").GetDouble());
    }

    [Fact]
    public async Task Create_DuplicateName_Returns409ApiError()
    {
        var name = Unique("dup");
        await fixture.CreateSandboxAsync(new { name });

        using var second = await fixture.Client.PostAsJsonAsync("api/sandbox", new { name });

        var body = await HttpAssert.ExpectApiErrorAsync(second, HttpStatusCode.Conflict);
        Assert.Equal("Conflict", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"cpu\":0}")]
    [InlineData("{\"memory\":-1}")]
    [InlineData("{\"name\":\"  \"}")]
    [InlineData("[1,2]")]
    public async Task Create_InvalidBody_Returns400ApiError(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await fixture.Client.PostAsync("api/sandbox", content);

        await HttpAssert.ExpectApiErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task List_LimitOne_WalksEveryPageUntilNullCursor()
    {
        var group = Unique("page");
        var ids = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(Id(await fixture.CreateSandboxAsync(new { labels = new Dictionary<string, string> { ["group"] = group } })));
        }

        var labels = Uri.EscapeDataString(JsonSerializer.Serialize(new Dictionary<string, string> { ["group"] = group }));
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        while (true)
        {
            var url = $"api/sandbox?limit=1&labels={labels}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            using var response = await fixture.Client.GetAsync(url);
            var page = await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
            pages++;
            Assert.True(pages <= ids.Count, "paging does not end");
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.Single(items);
            seen.Add(Id(items[0]));

            // nextCursor is required: present on every page, JSON null on the last.
            var next = page.GetProperty("nextCursor");
            if (next.ValueKind == JsonValueKind.Null)
            {
                break;
            }

            Assert.Equal(JsonValueKind.String, next.ValueKind);
            cursor = next.GetString();
        }

        Assert.Equal(ids.Count, pages);
        Assert.Equal(ids.OrderBy(i => i), seen.OrderBy(i => i));
    }

    [Fact]
    public async Task List_NoFilter_PagesCoverTheWholeUnpagedList()
    {
        await fixture.CreateSandboxAsync();
        await fixture.CreateSandboxAsync();
        using var all = await fixture.Client.GetAsync("api/sandbox");
        var everything = (await HttpAssert.ExpectAsync(all, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(Id).ToList();

        var paged = new List<string>();
        string? cursor = null;
        do
        {
            using var response = await fixture.Client.GetAsync("api/sandbox?limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            var page = await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
            paged.AddRange(page.GetProperty("items").EnumerateArray().Select(Id));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null && paged.Count <= everything.Count);

        Assert.Equal(everything, paged);
    }

    [Fact]
    public async Task List_Items_AreListItemsWithoutEnv()
    {
        var created = await fixture.CreateSandboxAsync(new { env = new Dictionary<string, string> { ["SECRET"] = "s" } });

        using var response = await fixture.Client.GetAsync("api/sandbox?name=" + Uri.EscapeDataString(created.GetProperty("name").GetString()!));
        var item = Assert.Single((await HttpAssert.ExpectAsync(response, HttpStatusCode.OK)).GetProperty("items").EnumerateArray());

        Assert.Equal(Id(created), Id(item));
        Assert.False(item.TryGetProperty("env", out _), "SandboxListItem has no env");
        Assert.False(string.IsNullOrEmpty(item.GetProperty("toolboxProxyUrl").GetString()));
    }

    [Fact]
    public async Task List_LabelFilter_ReturnsOnlyMatchingSandboxes()
    {
        var color = Unique("color");
        var red = await fixture.CreateSandboxAsync(new { labels = new Dictionary<string, string> { ["color"] = color, ["shade"] = "red" } });
        await fixture.CreateSandboxAsync(new { labels = new Dictionary<string, string> { ["color"] = color, ["shade"] = "blue" } });
        await fixture.CreateSandboxAsync(new { labels = new Dictionary<string, string> { ["shade"] = "red" } });

        var filter = JsonSerializer.Serialize(new Dictionary<string, string> { ["color"] = color, ["shade"] = "red" });
        using var response = await fixture.Client.GetAsync("api/sandbox?labels=" + Uri.EscapeDataString(filter));

        var item = Assert.Single((await HttpAssert.ExpectAsync(response, HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(Id(red), Id(item));
    }

    [Fact]
    public async Task List_StatesFilter_SeparatesStartedFromStopped()
    {
        var group = Unique("states");
        var labels = new Dictionary<string, string> { ["group"] = group };
        var running = await fixture.CreateSandboxAsync(new { labels });
        var stopped = await fixture.CreateSandboxAsync(new { labels });
        using (var stop = await fixture.Client.PostAsync($"api/sandbox/{Id(stopped)}/stop", null))
        {
            await HttpAssert.ExpectAsync(stop, HttpStatusCode.OK);
        }

        var filter = "labels=" + Uri.EscapeDataString(JsonSerializer.Serialize(labels));
        async Task<List<string>> ListAsync(string query)
        {
            using var response = await fixture.Client.GetAsync($"api/sandbox?{filter}&{query}");
            return (await HttpAssert.ExpectAsync(response, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(Id).ToList();
        }

        Assert.Equal([Id(running)], await ListAsync("states=started"));
        Assert.Equal([Id(stopped)], await ListAsync("states=stopped"));
        Assert.Equal(2, (await ListAsync("states=started&states=stopped")).Count);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=201")]
    [InlineData("limit=abc")]
    [InlineData("cursor=not-a-cursor")]
    [InlineData("labels=%7Bbroken")]
    public async Task List_InvalidQuery_Returns400ApiError(string query)
    {
        using var response = await fixture.Client.GetAsync("api/sandbox?" + query);

        await HttpAssert.ExpectApiErrorAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Get_ByNameAndById_ReturnTheSameSandbox()
    {
        var name = Unique("named");
        var created = await fixture.CreateSandboxAsync(new { name });

        using var byId = await fixture.Client.GetAsync("api/sandbox/" + Id(created));
        using var byName = await fixture.Client.GetAsync("api/sandbox/" + name);
        var fromId = await HttpAssert.ExpectAsync(byId, HttpStatusCode.OK);
        var fromName = await HttpAssert.ExpectAsync(byName, HttpStatusCode.OK);

        Assert.Equal(name, created.GetProperty("name").GetString());
        Assert.Equal(Id(created), Id(fromId));
        Assert.Equal(Id(created), Id(fromName));
        Assert.Equal(name, fromId.GetProperty("name").GetString());
        Assert.Equal("started", fromName.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Get_UnknownSandbox_Returns404ApiErrorNamingIt()
    {
        var name = Unique("missing");

        using var response = await fixture.Client.GetAsync("api/sandbox/" + name);

        var body = await HttpAssert.ExpectApiErrorAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("Not Found", body.GetProperty("error").GetString());
        Assert.Contains(name, body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "start")]
    [InlineData("POST", "stop")]
    [InlineData("GET", "toolbox-proxy-url")]
    [InlineData("DELETE", "")]
    public async Task Lifecycle_UnknownSandbox_Returns404ApiError(string method, string action)
    {
        var route = "api/sandbox/" + Unique("missing") + (action.Length == 0 ? "" : "/" + action);

        using var response = await fixture.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), route));

        await HttpAssert.ExpectApiErrorAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_ByName_ReportsDestroyedThenGetReturns404AndFolderIsGone()
    {
        var name = Unique("doomed");
        var created = await fixture.CreateSandboxAsync(new { name });
        var id = Id(created);
        Assert.True(Directory.Exists(fixture.SandboxFolder(id)), "the local provider keeps each sandbox in a folder");

        using var deleted = await fixture.Client.DeleteAsync("api/sandbox/" + name);
        var body = await HttpAssert.ExpectAsync(deleted, HttpStatusCode.OK);

        Assert.Equal(id, Id(body));
        Assert.Equal("destroyed", body.GetProperty("state").GetString());
        using var get = await fixture.Client.GetAsync("api/sandbox/" + id);
        await HttpAssert.ExpectApiErrorAsync(get, HttpStatusCode.NotFound);
        Assert.False(Directory.Exists(fixture.SandboxFolder(id)), "the sandbox's folder outlived it");
        using var again = await fixture.Client.DeleteAsync("api/sandbox/" + id);
        await HttpAssert.ExpectApiErrorAsync(again, HttpStatusCode.NotFound);
        using var toolbox = await fixture.Client.PostAsJsonAsync(ServerFixture.Toolbox(id, "process/execute"), new { command = "true" });
        await HttpAssert.ExpectToolboxErrorAsync(toolbox, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Stop_EphemeralSandbox_DestroysIt()
    {
        var created = await fixture.CreateSandboxAsync(new { autoDeleteInterval = 0 });
        var id = Id(created);
        Assert.Equal(0, created.GetProperty("autoDeleteInterval").GetDouble());

        using var stopped = await fixture.Client.PostAsync($"api/sandbox/{id}/stop", null);
        var body = await HttpAssert.ExpectAsync(stopped, HttpStatusCode.OK);

        Assert.Equal("destroyed", body.GetProperty("state").GetString());
        using var get = await fixture.Client.GetAsync("api/sandbox/" + id);
        await HttpAssert.ExpectApiErrorAsync(get, HttpStatusCode.NotFound);
        Assert.False(Directory.Exists(fixture.SandboxFolder(id)));
    }

    [Fact]
    public async Task StopThenStart_PersistentSandbox_KeepsItsFilesAndRefusesCommandsWhileStopped()
    {
        var created = await fixture.CreateSandboxAsync(new { autoDeleteInterval = -1 });
        var id = Id(created);
        var content = Unique("kept");
        Assert.Equal(0, (await fixture.ExecAsync(id, $"echo {content} > kept.txt")).ExitCode);

        using var stop = await fixture.Client.PostAsync($"api/sandbox/{id}/stop", null);
        Assert.Equal("stopped", (await HttpAssert.ExpectAsync(stop, HttpStatusCode.OK)).GetProperty("state").GetString());
        using var whileStopped = await fixture.Client.GetAsync("api/sandbox/" + id);
        Assert.Equal("stopped", (await HttpAssert.ExpectAsync(whileStopped, HttpStatusCode.OK)).GetProperty("state").GetString());
        using var refused = await fixture.Client.PostAsJsonAsync(ServerFixture.Toolbox(id, "process/execute"), new { command = "true" });
        Assert.False(refused.IsSuccessStatusCode, "a stopped sandbox ran a command");

        using var start = await fixture.Client.PostAsync($"api/sandbox/{id}/start", null);
        Assert.Equal("started", (await HttpAssert.ExpectAsync(start, HttpStatusCode.OK)).GetProperty("state").GetString());
        var (exitCode, result) = await fixture.ExecAsync(id, "cat kept.txt");
        Assert.Equal(0, exitCode);
        Assert.Equal(content, result.Trim());
    }

    [Fact]
    public async Task Start_AlreadyStarted_ReturnsItUnchanged()
    {
        var created = await fixture.CreateSandboxAsync();

        using var start = await fixture.Client.PostAsync($"api/sandbox/{Id(created)}/start", null);

        var body = await HttpAssert.ExpectAsync(start, HttpStatusCode.OK);
        Assert.Equal(Id(created), Id(body));
        Assert.Equal("started", body.GetProperty("state").GetString());
    }

    [Fact]
    public async Task ToolboxProxyUrl_KnownSandbox_MatchesTheSandboxField()
    {
        var name = Unique("proxy");
        var created = await fixture.CreateSandboxAsync(new { name });

        using var response = await fixture.Client.GetAsync($"api/sandbox/{name}/toolbox-proxy-url");

        var body = await HttpAssert.ExpectAsync(response, HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("toolboxProxyUrl").GetString(), body.GetProperty("url").GetString());
    }

    [Fact]
    public async Task ToolboxProxyUrl_ForgedHostHeader_IsTheBoundAddress()
    {
        var name = Unique("host");
        var expected = new Uri(fixture.Server.BaseUrl, "toolbox").ToString();
        using var create = new HttpRequestMessage(HttpMethod.Post, "api/sandbox") { Content = JsonContent.Create(new { name }) };
        create.Headers.Host = "evil.example";
        using var proxy = new HttpRequestMessage(HttpMethod.Get, $"api/sandbox/{name}/toolbox-proxy-url");
        proxy.Headers.Host = "evil.example:8443";

        using var created = await fixture.Client.SendAsync(create);
        using var answered = await fixture.Client.SendAsync(proxy);

        Assert.StartsWith("http://127.0.0.1:", expected, StringComparison.Ordinal);
        Assert.Equal(expected, (await HttpAssert.ExpectAsync(created, HttpStatusCode.OK)).GetProperty("toolboxProxyUrl").GetString());
        Assert.Equal(expected, (await HttpAssert.ExpectAsync(answered, HttpStatusCode.OK)).GetProperty("url").GetString());
    }

    [Theory]
    [InlineData("{\"cpu\":64}", "cpu", "4")]
    [InlineData("{\"cpu\":1e30}", "cpu", "4")]
    [InlineData("{\"memory\":9}", "memory", "8 GiB")]
    [InlineData("{\"memory\":1e30}", "memory", "8 GiB")]
    [InlineData("{\"disk\":21}", "disk", "20 GiB")]
    [InlineData("{\"disk\":1e30}", "disk", "20 GiB")]
    [InlineData("{\"cpu\":64,\"memory\":1e30,\"disk\":1e30}", "memory", "8 GiB")]
    [InlineData("{\"cpu\":-1}", "cpu", "cpu")]
    [InlineData("{\"memory\":\"NaN\"}", "memory", "memory")]
    [InlineData("{\"disk\":\"lots\"}", "disk", "disk")]
    [InlineData("{\"cpu\":1e999}", "cpu", "cpu")]
    public async Task Create_ResourceOutOfRange_Returns400NamingTheMaximumAndNothingCreated(string json, string field, string named)
    {
        var name = Unique("over");
        using var content = new StringContent(json.Insert(1, $"\"name\":\"{name}\","), Encoding.UTF8, "application/json");

        using var response = await fixture.Client.PostAsync("api/sandbox", content);

        var message = (await HttpAssert.ExpectApiErrorAsync(response, HttpStatusCode.BadRequest)).GetProperty("message").GetString()!;
        Assert.Contains(field, message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(named, message, StringComparison.Ordinal);
        using var got = await fixture.Client.GetAsync("api/sandbox/" + name);
        await HttpAssert.ExpectApiErrorAsync(got, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_MoreThanMaxSandboxesPerKey_Returns400NamingTheMaximumAndNothingCreated()
    {
        var data = Path.Combine(Path.GetTempPath(), "wfe-server-cap-" + Guid.NewGuid().ToString("N")[..8]);
        using var provider = new LocalSandboxProvider(new LocalSandboxOptions { DataDirectory = data, WarmPool = false });
        try
        {
            await using var server = await DaytonaServer.StartAsync(provider, new DaytonaServerOptions { Port = 0, ApiKey = ServerFixture.ApiKey, MaxSandboxesPerKey = 2 });
            var client = fixture.NewClient(ServerFixture.ApiKey, server.BaseUrl);
            // A sandbox of the machine's own (the tool or the CLI) does not count against the key.
            Assert.True((await provider.CreateAsync(new SandboxSpec())).Succeeded);
            var first = await fixture.CreateSandboxAsync(new { }, client);
            await fixture.CreateSandboxAsync(new { }, client);

            using var third = await client.PostAsJsonAsync("api/sandbox", new { name = "third" });

            var message = (await HttpAssert.ExpectApiErrorAsync(third, HttpStatusCode.BadRequest)).GetProperty("message").GetString()!;
            Assert.Contains("2", message, StringComparison.Ordinal);
            Assert.Contains("delete", message, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(3, (await provider.ListAsync()).Value!.Count);
            Assert.DoesNotContain((await provider.ListAsync()).Value!, s => s.Name == "third");

            // Labels the server uses to count are its own: a client can neither see nor forge them.
            Assert.DoesNotContain(first.GetProperty("labels").EnumerateObject(), l => l.Name.StartsWith("wfe.", StringComparison.Ordinal));
            using var deleted = await client.DeleteAsync("api/sandbox/" + Id(first));
            await HttpAssert.ExpectAsync(deleted, HttpStatusCode.OK);
            await fixture.CreateSandboxAsync(new { name = "third" }, client);
        }
        finally
        {
            foreach (var sandbox in (await provider.ListAsync()).Value ?? [])
            {
                await provider.DeleteAsync(sandbox.Id);
            }

            provider.Dispose();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Create_MoreThanTheProvidersMaxSandboxes_Returns400NamingTheMaximum()
    {
        var data = Path.Combine(Path.GetTempPath(), "wfe-server-cap-" + Guid.NewGuid().ToString("N")[..8]);
        using var provider = new LocalSandboxProvider(new LocalSandboxOptions { DataDirectory = data, WarmPool = false, MaxSandboxes = 1 });
        try
        {
            await using var server = await DaytonaServer.StartAsync(provider, new DaytonaServerOptions { Port = 0, ApiKey = ServerFixture.ApiKey });
            var client = fixture.NewClient(ServerFixture.ApiKey, server.BaseUrl);
            await fixture.CreateSandboxAsync(new { }, client);

            using var second = await client.PostAsJsonAsync("api/sandbox", new { name = "second" });

            var message = (await HttpAssert.ExpectApiErrorAsync(second, HttpStatusCode.BadRequest)).GetProperty("message").GetString()!;
            Assert.Contains("MaxSandboxes", message, StringComparison.Ordinal);
            Assert.Single((await provider.ListAsync()).Value!);
        }
        finally
        {
            foreach (var sandbox in (await provider.ListAsync()).Value ?? [])
            {
                await provider.DeleteAsync(sandbox.Id);
            }

            provider.Dispose();
            Directory.Delete(data, recursive: true);
        }
    }
}
