using WorkflowEngine.Definitions;

namespace WorkflowEngine.Testing;

/// <summary>A <c>wfe test</c> file: the workflow to run and its cases.</summary>
/// <param name="Workflow">The workflow each case's input goes through.</param>
/// <param name="Cases">The cases.</param>
public sealed record IntentCaseFile(string Workflow, IReadOnlyList<IntentCase> Cases)
{
    /// <summary>Reads a case file; problems are returned as messages with positions, never thrown.</summary>
    public static (IntentCaseFile? File, IReadOnlyList<string> Errors) Load(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            return (null, [$"{path}: no such file."]);
        }

        YamlDotNet.RepresentationModel.YamlStream stream = new();
        try
        {
            stream.Load(new StringReader(System.IO.File.ReadAllText(path)));
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            return (null, [$"{path}:{ex.Start.Line}:{ex.Start.Column}: YAML syntax error: {ex.Message}"]);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlDotNet.RepresentationModel.YamlMappingNode)
        {
            return (null, [$"{path}:1:1: expected `workflow:` and `cases:`."]);
        }

        var data = ToPlain(stream.Documents[0].RootNode) as Dictionary<string, object?> ?? [];
        var errors = new List<string>();
        var workflow = data.GetValueOrDefault("workflow") as string;
        if (string.IsNullOrWhiteSpace(workflow))
        {
            errors.Add($"{path}: the file needs `workflow: <id>`.");
        }

        var cases = new List<IntentCase>();
        if (data.GetValueOrDefault("cases") is not List<object?> items)
        {
            errors.Add($"{path}: the file needs `cases:`, a list.");
            return (null, errors);
        }

        foreach (var (item, index) in items.Select((item, index) => (item, index)))
        {
            if (item is not Dictionary<string, object?> entry || entry.GetValueOrDefault("input") is not string input)
            {
                errors.Add($"{path}: case {index + 1} needs `name` and `input`.");
                continue;
            }

            var name = entry.GetValueOrDefault("name") as string ?? $"case-{index + 1}";
            var calls = new List<ExpectedCall>();
            var expected = (entry.GetValueOrDefault("expect") as Dictionary<string, object?>)?.GetValueOrDefault("calls") as List<object?> ?? [];
            foreach (var call in expected.OfType<Dictionary<string, object?>>())
            {
                if (call.GetValueOrDefault("method") is not string method)
                {
                    errors.Add($"{path}: case '{name}' has a call without `method`.");
                    continue;
                }

                calls.Add(new ExpectedCall(method, call.GetValueOrDefault("params") as Dictionary<string, object?> ?? []));
            }

            cases.Add(new IntentCase(name, input, calls));
        }

        return errors.Count > 0 ? (null, errors) : (new IntentCaseFile(workflow!, cases), []);
    }

    private static object? ToPlain(YamlDotNet.RepresentationModel.YamlNode node) => node switch
    {
        YamlDotNet.RepresentationModel.YamlMappingNode map => map.Children.ToDictionary(
            e => ((YamlDotNet.RepresentationModel.YamlScalarNode)e.Key).Value ?? "", e => ToPlain(e.Value), StringComparer.Ordinal),
        YamlDotNet.RepresentationModel.YamlSequenceNode list => list.Children.Select(ToPlain).ToList(),
        YamlDotNet.RepresentationModel.YamlScalarNode scalar => scalar.Style == YamlDotNet.Core.ScalarStyle.Plain ? ScalarParser.Parse(scalar.Value) : scalar.Value,
        _ => null,
    };
}
