using System.Text.RegularExpressions;
using WorkflowEngine.Hosting;
using WorkflowEngine.Validation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WorkflowEngine.Definitions;

/// <summary>
/// Reads LangSwarm-format <c>agents.yaml</c>, <c>workflows.yaml</c> and <c>tools.yaml</c> files into a
/// <see cref="DefinitionSet"/>, keeping the position of every node. It never throws for bad input:
/// every problem becomes a <see cref="Diagnostic"/> and loading goes on.
/// </summary>
public sealed partial class DefinitionLoader
{
    private readonly Func<string, string?> _environment;
    private readonly WorkflowEngineOptions _options;

    /// <summary>Creates a loader that expands <c>${VAR}</c> in tool configs from the given lookup.</summary>
    /// <param name="environment">Reads an environment variable; <see cref="Environment.GetEnvironmentVariable(string)"/> by default.</param>
    /// <param name="options">
    /// The limits on definition files (<see cref="WorkflowEngineOptions.MaxDefinitionFileBytes"/>,
    /// <see cref="WorkflowEngineOptions.MaxYamlNestingDepth"/>, <see cref="WorkflowEngineOptions.MaxYamlAliasNodes"/>); the defaults when omitted.
    /// </param>
    public DefinitionLoader(Func<string, string?>? environment = null, WorkflowEngineOptions? options = null)
    {
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _options = options ?? new WorkflowEngineOptions();
    }

    /// <summary>Loads files and folders; a folder contributes its <c>*.yaml</c> and <c>*.yml</c> files, sorted by name.</summary>
    public DefinitionSet LoadPaths(IEnumerable<string> paths)
    {
        var set = new DefinitionSet();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var files = Directory.EnumerateFiles(path, "*.*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal);
                foreach (var file in files)
                {
                    set = set.Merge(LoadFile(file));
                }
            }
            else if (File.Exists(path))
            {
                set = set.Merge(LoadFile(path));
            }
            else
            {
                set = set.Merge(new DefinitionSet
                {
                    Diagnostics = [Diagnostic.Error(new SourcePosition(path, 1, 1), $"No such file or folder '{path}'. Pass a path to a .yaml file or to a folder of them.")],
                });
            }
        }

        return set;
    }

    /// <summary>Loads one file; a file that is not a regular file, or is larger than the limit, is an error without being read.</summary>
    public DefinitionSet LoadFile(string path) =>
        DefinitionFile.TryRead(path, _options.MaxDefinitionFileBytes, out var text) is { } problem
            ? new DefinitionSet { Diagnostics = [Diagnostic.Error(new SourcePosition(path, 1, 1), problem)] }
            : LoadYaml(text, path);

    /// <summary>Loads YAML text; <paramref name="fileName"/> is used in positions and for relative prompt files.</summary>
    public DefinitionSet LoadYaml(string yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        if (System.Text.Encoding.UTF8.GetByteCount(yaml) is var bytes && bytes > _options.MaxDefinitionFileBytes)
        {
            return new DefinitionSet { Diagnostics = [Diagnostic.Error(new SourcePosition(fileName, 1, 1), DefinitionFile.TooLarge(fileName, bytes, _options.MaxDefinitionFileBytes))] };
        }

        var reader = new FileReader(this, yaml, fileName);
        return reader.Read();
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")]
    private static partial Regex EnvironmentReference();

    private sealed class FileReader(DefinitionLoader loader, string text, string file)
    {
        private static readonly HashSet<string> AgentFields =
            ["id", "agent_type", "builtin", "model", "base_url", "temperature", "max_tokens", "system_prompt", "description", "provider"];

        private static readonly Dictionary<string, string> UnsupportedAgentFields = new()
        {
            ["tools"] = "agents call tools through workflow steps here; add a `tool:` step instead",
            ["retrievers"] = "retrievers are not supported; add a tool step that fetches the context",
            ["plugins"] = "plugins are not supported",
            ["register_as"] = "register_as is not needed; agents are found by id",
            ["response_mode"] = "response_mode is not needed; JSON replies become structured output",
            ["memory"] = "memory is not supported; pass earlier outputs through the step input",
            ["timeout"] = "put `timeout:` on the step that calls the agent",
        };

        private static readonly HashSet<string> StepFields =
        [
            "id", "description", "agent", "input", "function", "args", "tool", "method", "params", "workflow",
            "invoke_workflow", "output", "on_error", "when", "condition", "retry", "timeout", "for_each", "as", "var",
        ];

        private static readonly Dictionary<string, string> UnsupportedStepFields = new()
        {
            ["output_key"] = "output_key is not supported; read the output as steps.<id>.output",
            ["rollback_to"] = "rollback_to is not supported; use `retry:` or `on_error:`",
            ["fan_key"] = "fan-out groups are not supported; list the targets in output.to to run them in order",
            ["fan_in_id"] = "fan-in is not supported; list the targets in output.to to run them in order",
            ["async"] = "async steps are not supported; steps run in route order",
            ["loop"] = "loop is not supported; put `for_each:` (and `as:`) on the step",
            ["error_handling"] = "error_handling is not supported; put `on_error: <step>` on the step that can fail",
        };

        private readonly string[] _lines = text.Split('\n');
        private readonly List<Diagnostic> _diagnostics = [];
        private readonly List<AgentDefinition> _agents = [];
        private readonly List<WorkflowDefinition> _workflows = [];
        private readonly List<ToolDefinition> _tools = [];

        public DefinitionSet Read()
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new LimitedYamlParser(new Parser(new StringReader(text)), loader._options.MaxYamlNestingDepth, loader._options.MaxYamlAliasNodes));
            }
            catch (YamlLimitException ex)
            {
                _diagnostics.Add(Diagnostic.Error(At(ex.Start), ex.Message));
                return Result();
            }
            catch (YamlException ex)
            {
                var message = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
                _diagnostics.Add(Diagnostic.Error(At(ex.Start), $"YAML syntax error: {message}"));
                return Result();
            }

            foreach (var document in stream.Documents)
            {
                ReadRoot(document.RootNode);
            }

            return Result();
        }

        private DefinitionSet Result() => new()
        {
            Agents = _agents,
            Workflows = _workflows,
            Tools = _tools,
            Diagnostics = _diagnostics,
        };

        private void ReadRoot(YamlNode root)
        {
            if (root is YamlScalarNode { Value: null or "" })
            {
                return;
            }

            if (root is not YamlMappingNode map)
            {
                Error(root, "Expected a mapping with `agents:`, `workflows:` or `tools:` at the top of the file.");
                return;
            }

            foreach (var (key, value) in Entries(map))
            {
                switch (key.Value)
                {
                    case "agents":
                        ReadAgents(value);
                        break;
                    case "workflows":
                        ReadWorkflows(value);
                        break;
                    case "tools":
                        ReadTools(value);
                        break;
                    default:
                        Warning(key, $"Unknown top-level field '{key.Value}' is ignored; expected agents, workflows or tools.");
                        break;
                }
            }
        }

        private void ReadAgents(YamlNode node)
        {
            foreach (var (id, body) in Items(node, "agent"))
            {
                if (body is not YamlMappingNode map)
                {
                    Error(body, "An agent must be a mapping with at least `id` and `agent_type`.");
                    continue;
                }

                var agentId = id ?? RequiredString(map, "id", "agent");
                if (agentId is null)
                {
                    continue;
                }

                foreach (var (key, _) in Entries(map))
                {
                    if (UnsupportedAgentFields.TryGetValue(key.Value!, out var why))
                    {
                        Warning(key, $"Agent field '{key.Value}' is ignored: {why}.");
                    }
                    else if (!AgentFields.Contains(key.Value!))
                    {
                        Warning(key, $"Unknown agent field '{key.Value}' is ignored.{Suggestions.DidYouMean(key.Value!, AgentFields)}");
                    }
                }

                var agentType = String(map, "agent_type");
                if (agentType is null)
                {
                    Error(map, $"Agent '{agentId}' is missing the required field 'agent_type'. Use `agent_type: builtin` for an agent implemented in code, or `openai` for an LLM.");
                }

                _agents.Add(new AgentDefinition
                {
                    Id = agentId,
                    AgentType = agentType,
                    Builtin = String(map, "builtin"),
                    Model = String(map, "model"),
                    BaseUrl = String(map, "base_url"),
                    Temperature = Number(map, "temperature"),
                    MaxTokens = (int?)Number(map, "max_tokens"),
                    SystemPrompt = PromptValue(map),
                    Position = At(map.Start),
                });
            }
        }

        private ValueNode? PromptValue(YamlMappingNode map)
        {
            if (Child(map, "system_prompt") is not { } node)
            {
                return null;
            }

            var value = ToValue(node);
            if (value.Kind == ValueKind.Scalar && value.Text is { } prompt && !prompt.Contains('\n')
                && (prompt.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || prompt.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)))
            {
                var promptPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", prompt);
                if (!File.Exists(promptPath))
                {
                    Error(node, $"Prompt file '{prompt}' was not found next to {Path.GetFileName(file)}. Create it or write the prompt inline with `system_prompt: |`.");
                    return value;
                }

                if (DefinitionFile.TryRead(promptPath, loader._options.MaxDefinitionFileBytes, out var promptText) is { } problem)
                {
                    Error(node, problem);
                    return value;
                }

                return ValueNode.Scalar(promptText, new SourcePosition(promptPath, 1, 1), isQuoted: true, blockIndent: 1);
            }

            return value;
        }

        private void ReadWorkflows(YamlNode node)
        {
            if (node is YamlMappingNode map)
            {
                foreach (var (key, value) in Entries(map))
                {
                    if (key.Value == "main_workflow")
                    {
                        if (value is YamlSequenceNode list)
                        {
                            foreach (var item in list)
                            {
                                ReadWorkflow(item, null);
                            }
                        }
                        else
                        {
                            Error(value, "`main_workflow` must be a list of workflows, each with `id` and `steps`.");
                        }
                    }
                    else
                    {
                        ReadWorkflow(value, key);
                    }
                }
            }
            else if (node is YamlSequenceNode sequence)
            {
                foreach (var item in sequence)
                {
                    ReadWorkflow(item, null);
                }
            }
            else
            {
                Error(node, "`workflows` must be a list, a mapping of id to workflow, or `main_workflow: [...]`.");
            }
        }

        private void ReadWorkflow(YamlNode node, YamlScalarNode? key)
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, "A workflow must be a mapping with `id` and `steps`.");
                return;
            }

            var id = key?.Value ?? RequiredString(map, "id", "workflow");
            if (id is null)
            {
                return;
            }

            foreach (var (field, _) in Entries(map))
            {
                if (field.Value == "error_handling")
                {
                    Error(field, $"Workflow '{id}': {UnsupportedStepFields["error_handling"]}.");
                }
                else if (field.Value is not ("id" or "description" or "inputs" or "steps"))
                {
                    Warning(field, $"Unknown workflow field '{field.Value}' is ignored.{Suggestions.DidYouMean(field.Value!, ["id", "description", "inputs", "steps"])}");
                }
            }

            var steps = new List<StepDefinition>();
            switch (Child(map, "steps"))
            {
                case null:
                    Error(map, $"Workflow '{id}' is missing the required field 'steps'.");
                    break;
                case YamlSequenceNode list:
                    foreach (var item in list)
                    {
                        if (ReadStep(item) is { } step)
                        {
                            steps.Add(step);
                        }
                    }

                    if (list.Children.Count == 0)
                    {
                        Error(list, $"Workflow '{id}' has no steps. Add at least one step.");
                    }

                    break;
                case var other:
                    Error(other, $"`steps` of workflow '{id}' must be a list.");
                    break;
            }

            _workflows.Add(new WorkflowDefinition
            {
                Id = id,
                Description = String(map, "description"),
                Inputs = Child(map, "inputs") is YamlSequenceNode inputs
                    ? inputs.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList()
                    : [],
                Steps = steps,
                Position = At(key?.Start ?? map.Start),
            });
        }

        private StepDefinition? ReadStep(YamlNode node)
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, "A step must be a mapping with `id` and one of agent, tool, function or workflow.");
                return null;
            }

            var id = RequiredString(map, "id", "step");
            if (id is null)
            {
                return null;
            }

            foreach (var (key, _) in Entries(map))
            {
                if (UnsupportedStepFields.TryGetValue(key.Value!, out var why))
                {
                    Error(key, $"Step '{id}': {why}.");
                }
                else if (!StepFields.Contains(key.Value!))
                {
                    Warning(key, $"Unknown step field '{key.Value}' is ignored.{Suggestions.DidYouMean(key.Value!, StepFields)}");
                }
            }

            var actions = new[] { "agent", "tool", "function", "workflow", "invoke_workflow" }
                .Where(a => Child(map, a) is not null).ToList();
            if (actions.Count == 0)
            {
                Error(map, $"Step '{id}' does nothing: add one of `agent:`, `tool:`, `function:` or `workflow:`.");
            }
            else if (actions.Count > 1)
            {
                Error(map, $"Step '{id}' has {string.Join(" and ", actions)}; a step takes exactly one of them. Split it into several steps.");
            }

            var actionNode = actions.Count > 0 ? KeyNode(map, actions[0]) : null;
            var output = Child(map, "output");
            IReadOnlyList<RouteTarget>? routes = null;
            if (output is YamlMappingNode outputMap)
            {
                foreach (var (key, _) in Entries(outputMap))
                {
                    if (key.Value != "to")
                    {
                        Warning(key, $"Unknown output field '{key.Value}' is ignored; only `to` is used.");
                    }
                }

                if (Child(outputMap, "to") is { } to)
                {
                    routes = to is YamlSequenceNode targets
                        ? targets.Select(ReadTarget).OfType<RouteTarget>().ToList()
                        : ReadTarget(to) is { } single ? [single] : [];
                }
            }
            else if (output is not null)
            {
                Error(output, $"`output` of step '{id}' must be a mapping such as `output: {{ to: next_step }}`.");
            }

            if (Child(map, "when") is not null && Child(map, "condition") is not null)
            {
                Error(map, $"Step '{id}' has both `when` and `condition`; they mean the same. Keep one.");
            }

            return new StepDefinition
            {
                Id = id,
                Agent = String(map, "agent"),
                Tool = String(map, "tool"),
                Method = Value(map, "method"),
                Params = Value(map, "params"),
                Function = String(map, "function"),
                Args = Value(map, "args"),
                Workflow = String(map, "workflow") ?? String(map, "invoke_workflow"),
                Input = Value(map, "input"),
                Routes = routes,
                OnError = Child(map, "on_error") is { } onError ? ReadTarget(onError) : null,
                When = Value(map, "when") ?? Value(map, "condition"),
                Retry = ReadRetry(map, id),
                Timeout = ReadTimeout(map, id),
                ForEach = Value(map, "for_each"),
                ForEachVariable = String(map, "as") ?? String(map, "var") ?? "item",
                Position = At(map.Start),
                ActionPosition = actionNode is null ? At(map.Start) : At(actionNode.Start),
            };
        }

        private int ReadRetry(YamlMappingNode map, string id)
        {
            if (Child(map, "retry") is not YamlScalarNode node)
            {
                return 0;
            }

            if (int.TryParse(node.Value, out var retry) && retry is >= 0 and <= 100)
            {
                return retry;
            }

            Error(node, $"`retry` of step '{id}' must be a whole number from 0 to 100, the number of extra attempts.");
            return 0;
        }

        private TimeSpan? ReadTimeout(YamlMappingNode map, string id)
        {
            if (Child(map, "timeout") is not YamlScalarNode node)
            {
                return null;
            }

            if (DurationParser.TryParse(node.Value, out var timeout))
            {
                return timeout;
            }

            Error(node, $"`timeout` of step '{id}' must be a positive duration such as 30, 30s, 500ms or 2m.");
            return null;
        }

        private RouteTarget? ReadTarget(YamlNode node)
        {
            switch (node)
            {
                case YamlScalarNode { Value: "user" }:
                    return new UserRoute { Position = At(node.Start) };
                case YamlScalarNode { Value: { Length: > 0 } stepId }:
                    return new StepRoute(stepId) { Position = At(node.Start) };
                case YamlMappingNode map when Child(map, "step") is YamlScalarNode step:
                    return new StepRoute(step.Value ?? "") { Position = At(step.Start) };
                case YamlMappingNode map when Child(map, "condition") is YamlMappingNode condition:
                    return ReadCondition(condition);
                case YamlMappingNode map when Child(map, "if") is not null || Child(map, "switch") is not null || Child(map, "exists") is not null:
                    return ReadCondition(map);
                default:
                    Error(node, "A route target must be a step id, `user`, `{step: id}` or `{condition: {if|switch|exists: ..., ...}}`.");
                    return null;
            }
        }

        private RouteTarget? ReadCondition(YamlMappingNode map)
        {
            var position = At(map.Start);
            RouteTarget? Branch(string name) => Child(map, name) is { } branch ? ReadTarget(branch) : null;

            if (Value(map, "if") is { } condition)
            {
                if (Branch("then") is not { } then)
                {
                    Error(map, "A condition with `if` needs `then:` (a step id, `user` or a nested condition).");
                    return null;
                }

                return new IfRoute(condition, then, Branch("else")) { Position = position };
            }

            if (Value(map, "switch") is { } value)
            {
                var cases = new List<KeyValuePair<string, RouteTarget>>();
                if (Child(map, "cases") is YamlMappingNode caseMap)
                {
                    foreach (var (key, target) in Entries(caseMap))
                    {
                        if (ReadTarget(target) is { } route)
                        {
                            cases.Add(KeyValuePair.Create(key.Value ?? "", route));
                        }
                    }
                }
                else
                {
                    Error(map, "A condition with `switch` needs `cases:`, a mapping of value to target.");
                }

                return new SwitchRoute(value, cases, Branch("default")) { Position = position };
            }

            if (Value(map, "exists") is { } path)
            {
                if (Branch("then") is not { } then)
                {
                    Error(map, "A condition with `exists` needs `then:` (a step id, `user` or a nested condition).");
                    return null;
                }

                return new ExistsRoute(path, then, Branch("else")) { Position = position };
            }

            Error(map, "A condition needs one of `if`, `switch` or `exists`.");
            return null;
        }

        private void ReadTools(YamlNode node)
        {
            foreach (var (id, body) in Items(node, "tool"))
            {
                if (body is not YamlMappingNode map)
                {
                    Error(body, "A tool must be a mapping with at least `id`.");
                    continue;
                }

                var toolId = id ?? RequiredString(map, "id", "tool");
                if (toolId is null)
                {
                    continue;
                }

                string[] known = ["id", "type", "description", "permission", "config"];
                foreach (var (key, _) in Entries(map))
                {
                    if (!known.Contains(key.Value))
                    {
                        Warning(key, $"Unknown tool field '{key.Value}' is ignored.{Suggestions.DidYouMean(key.Value!, known)}");
                    }
                }

                var permission = String(map, "permission");
                if (permission is not (null or "anonymous" or "authenticated"))
                {
                    Error(Child(map, "permission")!, $"Tool '{toolId}' has permission '{permission}'; use `anonymous` or `authenticated`.");
                }

                var config = new Dictionary<string, object?>(StringComparer.Ordinal);
                if (Child(map, "config") is YamlMappingNode configMap)
                {
                    foreach (var (key, value) in Entries(configMap))
                    {
                        config[key.Value ?? ""] = ExpandEnvironment(ToValue(value).ToPlainValue(), value);
                    }
                }
                else if (Child(map, "config") is { } other)
                {
                    Error(other, $"`config` of tool '{toolId}' must be a mapping.");
                }

                _tools.Add(new ToolDefinition
                {
                    Id = toolId,
                    Type = String(map, "type"),
                    Description = String(map, "description"),
                    Permission = permission,
                    Config = config,
                    Position = At(map.Start),
                });
            }
        }

        private object? ExpandEnvironment(object? value, YamlNode node) => value switch
        {
            string s when s.StartsWith("env:", StringComparison.Ordinal) => Lookup(s[4..].Trim(), null, node) ?? "",
            string s => EnvironmentReference().Replace(s, m => Lookup(m.Groups[1].Value, m.Groups[2].Success ? m.Groups[2].Value : null, node) ?? ""),
            List<object?> list => list.Select(v => ExpandEnvironment(v, node)).ToList(),
            Dictionary<string, object?> map => map.ToDictionary(e => e.Key, e => ExpandEnvironment(e.Value, node), StringComparer.Ordinal),
            _ => value,
        };

        private string? Lookup(string name, string? fallback, YamlNode node)
        {
            var value = loader._environment(name);
            if (string.IsNullOrEmpty(value) && fallback is null)
            {
                Warning(node, $"Environment variable '{name}' is not set; the value is empty. Set it, or write ${{{name}:-default}}.");
            }

            return string.IsNullOrEmpty(value) ? fallback : value;
        }

        /// <summary>Yields (id from key or null, body) for a list or a dict keyed by id.</summary>
        private IEnumerable<(string? Id, YamlNode Body)> Items(YamlNode node, string what)
        {
            if (node is YamlSequenceNode list)
            {
                return list.Children.Select(c => ((string?)null, c));
            }

            if (node is YamlMappingNode map)
            {
                return Entries(map).Select(e => ((string?)e.Key.Value, e.Value));
            }

            if (node is not YamlScalarNode { Value: null or "" })
            {
                Error(node, $"Expected a list of {what}s or a mapping of id to {what}.");
            }

            return [];
        }

        private IEnumerable<(YamlScalarNode Key, YamlNode Value)> Entries(YamlMappingNode map)
        {
            foreach (var (key, value) in map.Children)
            {
                if (key is YamlScalarNode scalar && scalar.Value is not null)
                {
                    yield return (scalar, value);
                }
                else
                {
                    Error(key, "Keys must be plain text.");
                }
            }
        }

        private static YamlNode? Child(YamlMappingNode map, string key) =>
            map.Children.FirstOrDefault(e => e.Key is YamlScalarNode s && s.Value == key).Value;

        private static YamlNode? KeyNode(YamlMappingNode map, string key) =>
            map.Children.FirstOrDefault(e => e.Key is YamlScalarNode s && s.Value == key).Key;

        private string? RequiredString(YamlMappingNode map, string key, string what)
        {
            var value = String(map, key);
            if (string.IsNullOrWhiteSpace(value))
            {
                Error(map, $"A {what} is missing the required field '{key}'.");
                return null;
            }

            return value;
        }

        private string? String(YamlMappingNode map, string key)
        {
            var node = Child(map, key);
            if (node is null)
            {
                return null;
            }

            if (node is YamlScalarNode scalar)
            {
                return scalar.Value;
            }

            Error(node, $"`{key}` must be text, not a {(node is YamlSequenceNode ? "list" : "mapping")}.");
            return null;
        }

        private double? Number(YamlMappingNode map, string key)
        {
            if (Child(map, key) is not YamlScalarNode node)
            {
                return null;
            }

            if (double.TryParse(node.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }

            Error(node, $"`{key}` must be a number.");
            return null;
        }

        private ValueNode? Value(YamlMappingNode map, string key) => Child(map, key) is { } node ? ToValue(node) : null;

        private ValueNode ToValue(YamlNode node) => node switch
        {
            YamlScalarNode scalar => ValueNode.Scalar(
                scalar.Value is "" && scalar.Style == ScalarStyle.Plain ? null : scalar.Value,
                At(scalar.Start),
                isQuoted: scalar.Style != ScalarStyle.Plain,
                blockIndent: scalar.Style is ScalarStyle.Literal or ScalarStyle.Folded ? BlockIndent(scalar) : 0),
            YamlSequenceNode sequence => ValueNode.Sequence(sequence.Children.Select(ToValue).ToList(), At(sequence.Start)),
            YamlMappingNode mapping => ValueNode.Mapping(
                Entries(mapping).Select(e => KeyValuePair.Create(e.Key.Value!, ToValue(e.Value))).ToList(),
                At(mapping.Start)),
            _ => ValueNode.Scalar(null, At(node.Start)),
        };

        /// <summary>The 1-based column where a block scalar's content starts (its first non-empty line's indentation).</summary>
        private int BlockIndent(YamlScalarNode scalar)
        {
            for (var line = (int)scalar.Start.Line; line < _lines.Length; line++)
            {
                var content = _lines[line];
                if (content.Trim().Length > 0)
                {
                    return content.Length - content.TrimStart(' ').Length + 1;
                }
            }

            return 1;
        }

        private SourcePosition At(Mark mark) => new(file, (int)mark.Line, (int)mark.Column);

        private void Error(YamlNode node, string message) => _diagnostics.Add(Diagnostic.Error(At(node.Start), message));

        private void Warning(YamlNode node, string message) => _diagnostics.Add(Diagnostic.Warning(At(node.Start), message));
    }
}
