using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using WorkflowEngine.Agents;
using WorkflowEngine.Runtime;
using WorkflowEngine.Tests.Support;

namespace WorkflowEngine.Tests.Agents;

public class ChatClientAgentTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>An <see cref="IChatClient"/> that records what it was sent and answers with canned text.</summary>
    private sealed class RecordingChatClient(Func<IReadOnlyList<ChatMessage>, string> reply) : IChatClient
    {
        public List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Calls { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = messages.ToList();
            lock (Calls)
            {
                Calls.Add((list, options));
            }

            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply(list))));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("Streaming is not used by the engine.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private const string LlmYaml = """
        agents:
          - id: writer
            agent_type: openai
            model: gpt-test
            temperature: 0.2
            system_prompt: |
              You are a {{ tone }} writer. Write about {{ topic | string.upcase }}.
          - id: echo
            agent_type: builtin
        workflows:
          main_workflow:
            - id: flow
              steps:
                - id: write
                  agent: writer
                  input: "Write a title about ${topic} for ${user_input}."
                - id: show
                  agent: echo
                  input: "Title: ${steps.write.output.title} (${steps.write.output.words} words)"
                  output: { to: user }
        """;

    [Fact]
    public async Task RunAsync_LlmModeWithChatClient_SendsRenderedPromptsAndParsesJsonReply()
    {
        var client = new RecordingChatClient(_ => """{"title": "Whales Sing", "words": 2}""");
        using var provider = TestEngine.Build(LlmYaml, b => b.UseChatClient(client), o => o.AgentMode = AgentMode.Llm);
        var runner = provider.GetRequiredService<IWorkflowRunner>();

        var result = await runner.RunAsync("flow", new Dictionary<string, object?>
        {
            ["user_input"] = "children",
            ["topic"] = "whales",
            ["tone"] = "friendly",
        }).WaitAsync(Bound);

        Assert.True(result.Succeeded, result.Error);
        var (messages, options) = Assert.Single(client.Calls);
        Assert.Collection(
            messages,
            m =>
            {
                Assert.Equal(ChatRole.System, m.Role);
                Assert.Equal("You are a friendly writer. Write about WHALES.", m.Text.Trim());
            },
            m =>
            {
                Assert.Equal(ChatRole.User, m.Role);
                Assert.Equal("Write a title about whales for children.", m.Text);
            });
        Assert.NotNull(options);
        Assert.Equal("gpt-test", options.ModelId);
        Assert.NotNull(options.Temperature);
        Assert.Equal(0.2, options.Temperature.Value, 5);

        var output = Assert.IsType<Dictionary<string, object?>>(result.Steps.Single(s => s.Id == "write").Output);
        Assert.Equal("Whales Sing", output["title"]);
        Assert.Equal(2L, output["words"]);
        Assert.Equal("Title: Whales Sing (2 words)", result.Output);
    }

    [Fact]
    public async Task RunAsync_LlmModeTextReply_StaysText()
    {
        const string yaml = """
            agents:
              - id: writer
                agent_type: openai
                model: gpt-test
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: write
                      agent: writer
                      input: ${user_input}
            """;
        var client = new RecordingChatClient(m => "You said: " + m[^1].Text);

        var result = await TestEngine.RunAsync(yaml, "flow", "hello", b => b.UseChatClient(client), o => o.AgentMode = AgentMode.Llm).WaitAsync(Bound);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("You said: hello", result.Output);
        var (messages, _) = Assert.Single(client.Calls);
        Assert.Equal(ChatRole.User, Assert.Single(messages).Role);
    }

    [Fact]
    public async Task RunAsync_AutoModeWithoutKeyClientOrBuiltin_FailsBeforeAnyStepNamingOpenAIKey()
    {
        const string yaml = """
            agents:
              - id: echo
                agent_type: builtin
              - id: planner
                agent_type: openai
                model: gpt-test
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: first
                      agent: echo
                      input: ${user_input}
                    - id: plan
                      agent: planner
                      input: ${user_input}
            """;

        var result = await TestEngine.RunAsync(yaml, "flow", "x", options: o => o.AgentMode = AgentMode.Auto).WaitAsync(Bound);

        Assert.False(result.Succeeded);
        Assert.Empty(result.Steps);
        Assert.Contains("OPENAI_API_KEY", result.Error);
        Assert.Contains("planner", result.Error);
    }

    [Fact]
    public async Task RunAsync_AutoModeWithChatClient_UsesLlm()
    {
        const string yaml = """
            agents:
              - id: planner
                agent_type: openai
                model: gpt-test
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: plan
                      agent: planner
                      input: ${user_input}
            """;
        var client = new RecordingChatClient(_ => "planned");
        var builtin = new ScriptedAgent(_ => "builtin");

        var result = await TestEngine.RunAsync(
            yaml, "flow", "x", b => b.UseChatClient(client).AddBuiltinAgent("planner", builtin), o => o.AgentMode = AgentMode.Auto).WaitAsync(Bound);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("planned", result.Output);
        Assert.Empty(builtin.Requests);
    }

    [Fact]
    public async Task RunAsync_BuiltinModeWithLlmAgentAndBuiltin_UsesBuiltinNotChatClient()
    {
        const string yaml = """
            agents:
              - id: planner
                agent_type: openai
                model: gpt-test
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: plan
                      agent: planner
                      input: ${user_input}
            """;
        var client = new RecordingChatClient(_ => "llm");
        var builtin = new ScriptedAgent(_ => "builtin");

        var result = await TestEngine.RunAsync(
            yaml, "flow", "x", b => b.UseChatClient(client).AddBuiltinAgent("planner", builtin), o => o.AgentMode = AgentMode.Builtin).WaitAsync(Bound);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("builtin", result.Output);
        Assert.Empty(client.Calls);
    }

    [Fact]
    public async Task RunAsync_BuiltinModeWithMissingBuiltin_FailsBeforeAnyStepNamingAddBuiltinAgent()
    {
        const string yaml = """
            agents:
              - id: echo
                agent_type: builtin
              - id: summarizer
                agent_type: builtin
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: first
                      agent: echo
                      input: ${user_input}
                    - id: summarize
                      agent: summarizer
                      input: ${user_input}
            """;

        var result = await TestEngine.RunAsync(yaml, "flow", "x", options: o => o.AgentMode = AgentMode.Builtin).WaitAsync(Bound);

        Assert.False(result.Succeeded);
        Assert.Empty(result.Steps);
        Assert.Contains("AddBuiltinAgent", result.Error);
        Assert.Contains("summarizer", result.Error);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task RunAsync_OpenAICompatibleHttpEndpoint_SendsModelMessagesAndKeyAndParsesReply()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();

        var requests = new List<(string Method, string Path, string? Authorization, string Body)>();
        using var stop = new CancellationTokenSource();
        var server = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync().WaitAsync(stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                var path = context.Request.Url?.AbsolutePath ?? "";
                lock (requests)
                {
                    requests.Add((context.Request.HttpMethod, path, context.Request.Headers["Authorization"], body));
                }

                var ok = context.Request.HttpMethod == "POST" && path.EndsWith("/chat/completions", StringComparison.Ordinal);
                var response = ok
                    ? """
                      {
                        "id": "chatcmpl-test",
                        "object": "chat.completion",
                        "created": 1700000000,
                        "model": "gpt-test",
                        "choices": [
                          {
                            "index": 0,
                            "message": { "role": "assistant", "content": "{\"answer\": 42, \"unit\": \"towels\"}" },
                            "finish_reason": "stop"
                          }
                        ],
                        "usage": { "prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15 }
                      }
                      """
                    : """{"error": {"message": "not found", "type": "invalid_request_error"}}""";
                var bytes = Encoding.UTF8.GetBytes(response);
                context.Response.StatusCode = ok ? 200 : 404;
                context.Response.ContentType = "application/json";
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        });

        const string yaml = """
            agents:
              - id: oracle
                agent_type: openai
                model: gpt-test
                system_prompt: "Answer briefly."
              - id: echo
                agent_type: builtin
            workflows:
              main_workflow:
                - id: flow
                  steps:
                    - id: ask
                      agent: oracle
                      input: "Question: ${user_input}"
                    - id: show
                      agent: echo
                      input: "${steps.ask.output.answer} ${steps.ask.output.unit}"
                      output: { to: user }
            """;

        RunResult result;
        try
        {
            result = await TestEngine.RunAsync(yaml, "flow", "the meaning of life", options: o =>
            {
                o.AgentMode = AgentMode.Llm;
                o.OpenAIBaseUrl = $"http://127.0.0.1:{port}/v1";
                o.OpenAIApiKey = "test-key";
            }).WaitAsync(Bound);
        }
        finally
        {
            await stop.CancelAsync();
            listener.Stop();
            await server.WaitAsync(Bound);
        }

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("42 towels", result.Output);

        var request = Assert.Single(requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer test-key", request.Authorization);
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal("gpt-test", json.RootElement.GetProperty("model").GetString());
        var messages = json.RootElement.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(2, messages.Count);
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Equal("Answer briefly.", ContentText(messages[0]));
        Assert.Equal("user", messages[1].GetProperty("role").GetString());
        Assert.Equal("Question: the meaning of life", ContentText(messages[1]));
    }

    /// <summary>A message's content, which the OpenAI SDK may send as a string or as a list of text parts.</summary>
    private static string ContentText(JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind == JsonValueKind.String
            ? content.GetString() ?? ""
            : string.Concat(content.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
    }
}
