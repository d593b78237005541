using System.Collections;
using System.Text.Json;
using Scriban.Runtime;

namespace WorkflowEngine.Templating;

/// <summary>Converts between the engine's plain data (dictionaries, lists, scalars) and Scriban's objects.</summary>
internal static class ScriptValues
{
    /// <summary>Plain data to Scriban: dictionaries become <see cref="ScriptObject"/>, lists <see cref="ScriptArray"/>.</summary>
    public static object? ToScript(object? value) => value switch
    {
        null => null,
        string or bool or long or int or double or decimal => value,
        ScriptObject or ScriptArray => value,
        JsonElement element => ToScript(PlainData.FromJson(element)),
        IDictionary<string, object?> map => ToScriptObject(map),
        IDictionary map => ToScriptObject(map.Keys.Cast<object>().ToDictionary(k => k.ToString() ?? "", k => map[k])),
        IEnumerable list => new ScriptArray(list.Cast<object?>().Select(ToScript)),
        _ => ToScript(PlainData.FromObject(value)),
    };

    /// <summary>Scriban results to plain data.</summary>
    public static object? ToPlain(object? value) => value switch
    {
        null => null,
        string or bool or long or double or decimal => value,
        int i => (long)i,
        float f => (double)f,
        ScriptObject obj => obj.ToDictionary(e => e.Key, e => ToPlain(e.Value), StringComparer.Ordinal),
        ScriptArray array => array.Select(ToPlain).ToList(),
        _ => PlainData.FromObject(value),
    };

    private static ScriptObject ToScriptObject(IEnumerable<KeyValuePair<string, object?>> map)
    {
        var result = new ScriptObject();
        foreach (var (key, item) in map)
        {
            result[key] = ToScript(item);
        }

        return result;
    }
}
