using System.Globalization;
using System.Net;
using System.Text.Json;

namespace WorkflowEngine.Daytona.Server.Tests;

/// <summary>Status and body assertions for the server's two error styles.</summary>
internal static class HttpAssert
{
    /// <summary>Asserts the status (showing the body when it differs) and returns the JSON body, or <c>default</c> when there is none.</summary>
    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        if (text.Length == 0)
        {
            return default;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts an API-style (NestJS) error: <c>{statusCode, error, message, path, timestamp}</c> without a toolbox <c>code</c>.</summary>
    public static async Task<JsonElement> ExpectApiErrorAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await ExpectAsync(response, expected);
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
        Assert.Equal((int)expected, body.GetProperty("statusCode").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetString()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        Assert.Equal(response.RequestMessage!.RequestUri!.AbsolutePath, body.GetProperty("path").GetString());
        AssertTimestamp(body);
        Assert.False(body.TryGetProperty("code", out _), "API errors carry no toolbox code");
        return body;
    }

    /// <summary>Asserts a toolbox <c>ErrorResponse</c>: <c>{statusCode, message, path, timestamp, code, method, source}</c>.</summary>
    public static async Task<JsonElement> ExpectToolboxErrorAsync(HttpResponseMessage response, HttpStatusCode expected, string? code = null)
    {
        var body = await ExpectAsync(response, expected);
        Assert.Equal(JsonValueKind.Object, body.ValueKind);
        Assert.Equal((int)expected, body.GetProperty("statusCode").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        Assert.Equal(response.RequestMessage!.RequestUri!.AbsolutePath, body.GetProperty("path").GetString());
        Assert.Equal(response.RequestMessage.Method.Method, body.GetProperty("method").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("code").GetString()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("source").GetString()));
        Assert.False(body.TryGetProperty("error", out _), "toolbox errors are ErrorResponse, not the API's body");
        AssertTimestamp(body);
        if (code is not null)
        {
            Assert.Equal(code, body.GetProperty("code").GetString());
        }

        return body;
    }

    private static void AssertTimestamp(JsonElement body)
    {
        var timestamp = body.GetProperty("timestamp").GetString();
        Assert.True(DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed), $"timestamp '{timestamp}'");
        Assert.InRange(parsed, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }
}
