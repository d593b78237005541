using System.Text.Json;
using WorkflowEngine.Templating;

namespace WorkflowEngine.Tests.Templating;

public class PlainDataTests
{
    private sealed record Target(string? Name, string? Branch, string? Flag);

    [Fact]
    public void JsonOptions_NumbersAndBooleansForTextParameters_AreReadAsText()
    {
        var bound = JsonSerializer.Deserialize<Target>("""{"name": 123, "branch": 2024.5, "flag": true}""", PlainData.JsonOptions)!;

        Assert.Equal("123", bound.Name);
        Assert.Equal("2024.5", bound.Branch);
        Assert.Equal("true", bound.Flag);
    }

    [Fact]
    public void JsonOptions_ListForTextParameter_IsRefused() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Target>("""{"name": [1, 2]}""", PlainData.JsonOptions));

    [Fact]
    public void FromJson_Integers_StayLong()
    {
        using var document = JsonDocument.Parse("""{"n": 7, "x": 1.5}""");
        var data = Assert.IsType<Dictionary<string, object?>>(PlainData.FromJson(document.RootElement));

        Assert.IsType<long>(data["n"]);
        Assert.IsType<double>(data["x"]);
    }
}
