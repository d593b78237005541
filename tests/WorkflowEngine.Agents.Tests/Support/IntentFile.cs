using YamlDotNet.Serialization;

namespace WorkflowEngine.Agents.Tests.Support;

/// <summary>Reads an intents file (<c>cases: [{name, input, expect: {calls: [{method, params}]}}]</c>) with YamlDotNet.</summary>
public static class IntentFile
{
    public static IReadOnlyList<IntentCase> Load(string path)
    {
        var root = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object?>>(File.ReadAllText(path));
        var cases = new List<IntentCase>();
        foreach (var item in (List<object?>)root["cases"]!)
        {
            var map = (Dictionary<object, object?>)item!;
            var expect = (Dictionary<object, object?>)map["expect"]!;
            var calls = ((List<object?>)expect["calls"]!).Select(c =>
            {
                var call = (Dictionary<object, object?>)c!;
                var parameters = call.TryGetValue("params", out var p) && p is Dictionary<object, object?> pm
                    ? pm.ToDictionary(e => e.Key.ToString()!, e => e.Value)
                    : new Dictionary<string, object?>();
                return new ExpectedCall(call["method"]!.ToString()!, parameters);
            }).ToList();
            cases.Add(new IntentCase(map["name"]!.ToString()!, map["input"]!.ToString()!, calls));
        }

        return cases;
    }
}
