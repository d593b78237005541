using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Server.Internal;

/// <summary>
/// <c>/api/sandbox…</c>: create, list (cursor paging), get, delete, start and stop, with Daytona's field names and
/// states. Sandboxes created with <c>autoDeleteInterval: 0</c> are ephemeral: stopping one deletes it (<c>destroyed</c>).
/// </summary>
internal static class ControlPlaneEndpoints
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 200;

    private const double GiB = 1024d * 1024 * 1024;

    public static void Map(RouteGroupBuilder api, ISandboxProvider provider, DaytonaServerOptions options)
    {
        var quota = new KeyQuota(options);
        api.MapPost("/sandbox", (Delegate)((HttpContext context) => CreateAsync(context, provider, options, quota)));
        api.MapGet("/sandbox", (Delegate)((HttpContext context) => ListAsync(context, provider, options)));
        api.MapGet("/sandbox/{sandboxIdOrName}", async (HttpContext context, string sandboxIdOrName) =>
        {
            var found = await provider.GetAsync(sandboxIdOrName, context.RequestAborted).ConfigureAwait(false);
            return found.Succeeded ? View(context, options, found.Value) : NotFoundOr(context, found.Error, sandboxIdOrName);
        });
        api.MapDelete("/sandbox/{sandboxIdOrName}", async (HttpContext context, string sandboxIdOrName) =>
        {
            var found = await provider.GetAsync(sandboxIdOrName, context.RequestAborted).ConfigureAwait(false);
            if (!found.Succeeded)
            {
                return NotFoundOr(context, found.Error, sandboxIdOrName);
            }

            var deleted = await provider.DeleteAsync(found.Value.Id, context.RequestAborted).ConfigureAwait(false);
            return deleted.Succeeded ? View(context, options, found.Value, state: "destroyed") : Errors.Api(context, deleted.Error);
        });
        api.MapPost("/sandbox/{sandboxIdOrName}/start", async (HttpContext context, string sandboxIdOrName) =>
        {
            var started = await provider.StartAsync(sandboxIdOrName, context.RequestAborted).ConfigureAwait(false);
            return started.Succeeded ? View(context, options, started.Value) : NotFoundOr(context, started.Error, sandboxIdOrName);
        });
        api.MapPost("/sandbox/{sandboxIdOrName}/stop", (HttpContext context, string sandboxIdOrName) => StopAsync(context, provider, options, sandboxIdOrName));
        api.MapGet("/sandbox/{sandboxIdOrName}/toolbox-proxy-url", async (HttpContext context, string sandboxIdOrName) =>
        {
            var found = await provider.GetAsync(sandboxIdOrName, context.RequestAborted).ConfigureAwait(false);
            return found.Succeeded ? Results.Json(new { url = ToolboxUrl(context, options) }, ServerJson.Options) : NotFoundOr(context, found.Error, sandboxIdOrName);
        });
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ISandboxProvider provider, DaytonaServerOptions options, KeyQuota quota)
    {
        var (body, invalid) = await Body.ReadAsync(context, ErrorStyle.Api, () => new CreateSandboxRequest()).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        // Maxima are the provider's (one place for every path that creates sandboxes); here only what makes no sense.
        var problems = new List<string>();
        foreach (var (field, value, unit) in new[] { ("cpu", body!.Cpu, "cores"), ("memory", body.Memory, "GiB"), ("disk", body.Disk, "GiB") })
        {
            if (value is { } number && !(number > 0 && double.IsFinite(number)))
            {
                problems.Add($"{field} must be a positive number of {unit}, got {number.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        if (body.Labels?.ContainsKey(SandboxView.KeyLabel) == true)
        {
            problems.Add($"the label {SandboxView.KeyLabel} is reserved for the server; leave it out");
        }

        if (body.Name is { } name && string.IsNullOrWhiteSpace(name))
        {
            problems.Add("name must not be empty");
        }

        if (problems.Count > 0)
        {
            return Errors.Api(context, 400, string.Join(", ", problems));
        }

        var labels = new Dictionary<string, string>(body.Labels ?? [], StringComparer.Ordinal);
        var language = labels.Remove(SandboxView.LanguageLabel, out var label) && !string.IsNullOrWhiteSpace(label) ? label : "python";
        var spec = new SandboxSpec
        {
            Name = body.Name,
            Language = language,
            Image = ImageOf(body),
            EnvironmentVars = body.Env ?? [],
            Labels = labels,
            Persistent = body.AutoDeleteInterval is not 0,
            // Network only when asked for (networkBlockAll: false) and allowed by the operator; the response says which.
            Network = body.NetworkBlockAll == false && options.AllowNetwork,
            Resources = new SandboxResources
            {
                Cpus = body.Cpu,
                MemoryBytes = body.Memory is { } memory ? Bytes(memory) : null,
                DiskBytes = body.Disk is { } disk ? Bytes(disk) : null,
            },
        };
        // A create runs to its end even if the client goes away, so no half-made sandbox is left behind; a
        // sandbox nobody will hear about is deleted again (the client may also find it by label and delete it).
        var created = await quota.CreateAsync(provider, spec).ConfigureAwait(false);
        if (created.Succeeded && context.RequestAborted.IsCancellationRequested)
        {
            await provider.DeleteAsync(created.Value.Id, CancellationToken.None).ConfigureAwait(false);
            return Results.Empty;
        }

        return created.Succeeded ? View(context, options, created.Value) : Errors.Api(context, created.Error);
    }

    private static async Task<IResult> ListAsync(HttpContext context, ISandboxProvider provider, DaytonaServerOptions options)
    {
        var query = context.Request.Query;
        var limit = DefaultLimit;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, NumberStyles.Integer, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return Errors.Api(context, 400, $"limit must be a number from 1 to {MaxLimit}");
        }

        var offset = 0;
        if (query.TryGetValue("cursor", out var cursorText) && !string.IsNullOrEmpty(cursorText)
            && (!int.TryParse(cursorText, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset < 0))
        {
            return Errors.Api(context, 400, "cursor is not one this server returned; start again without a cursor");
        }

        Dictionary<string, string>? labelFilter = null;
        if (query.TryGetValue("labels", out var labelsText) && !string.IsNullOrEmpty(labelsText))
        {
            try
            {
                labelFilter = JsonSerializer.Deserialize<Dictionary<string, string>>(labelsText.ToString());
            }
            catch (JsonException)
            {
                return Errors.Api(context, 400, "labels must be a JSON object of strings, e.g. {\"env\":\"dev\"}");
            }
        }

        var listed = await provider.ListAsync(context.RequestAborted).ConfigureAwait(false);
        if (!listed.Succeeded)
        {
            return Errors.Api(context, listed.Error);
        }

        var states = query["states"].Where(s => !string.IsNullOrEmpty(s)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var namePrefix = query["name"].ToString();
        var idPrefix = query["id"].ToString();
        var proxy = ToolboxUrl(context, options);
        var matching = listed.Value
            .Select(info => SandboxView.From(info, options.OrganizationId, options.Target, proxy, withEnv: false))
            .Where(v => namePrefix.Length == 0 || v.Name.StartsWith(namePrefix, StringComparison.OrdinalIgnoreCase))
            .Where(v => idPrefix.Length == 0 || v.Id.StartsWith(idPrefix, StringComparison.OrdinalIgnoreCase))
            .Where(v => states.Count == 0 || states.Contains(v.State))
            .Where(v => labelFilter is null || labelFilter.All(l => v.Labels.TryGetValue(l.Key, out var value) && value == l.Value))
            .OrderBy(v => v.CreatedAt, StringComparer.Ordinal)
            .ThenBy(v => v.Id, StringComparer.Ordinal)
            .ToList();
        var page = matching.Skip(offset).Take(limit).ToList();
        var next = offset + page.Count < matching.Count ? (offset + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        return Results.Json(new ListSandboxesResponse(page, next), ServerJson.Options);
    }

    private static async Task<IResult> StopAsync(HttpContext context, ISandboxProvider provider, DaytonaServerOptions options, string sandboxIdOrName)
    {
        var found = await provider.GetAsync(sandboxIdOrName, context.RequestAborted).ConfigureAwait(false);
        if (!found.Succeeded)
        {
            return NotFoundOr(context, found.Error, sandboxIdOrName);
        }

        if (!found.Value.Persistent)
        {
            var deleted = await provider.DeleteAsync(found.Value.Id, context.RequestAborted).ConfigureAwait(false);
            return deleted.Succeeded ? View(context, options, found.Value, state: "destroyed") : Errors.Api(context, deleted.Error);
        }

        var stopped = await provider.StopAsync(found.Value.Id, context.RequestAborted).ConfigureAwait(false);
        return stopped.Succeeded ? View(context, options, stopped.Value) : Errors.Api(context, stopped.Error);
    }

    private static IResult View(HttpContext context, DaytonaServerOptions options, SandboxInfo info, string? state = null) =>
        Results.Json(SandboxView.From(info, options.OrganizationId, options.Target, ToolboxUrl(context, options), state: state), ServerJson.Options);

    private static IResult NotFoundOr(HttpContext context, SandboxError error, string sandbox) =>
        error.Kind == SandboxErrorKind.NotFound
            ? Errors.Api(context, 404, $"Sandbox with ID or name {sandbox} not found")
            : Errors.Api(context, error);

    /// <summary>GiB as bytes; a size past what a long holds is over every maximum, and the provider refuses it naming its own.</summary>
    private static long Bytes(double gib) => gib * GiB >= long.MaxValue ? long.MaxValue : (long)(gib * GiB);

    /// <summary>
    /// The toolbox base: the configured public URL, else the local address and port this connection reached. Never the
    /// request's <c>Host</c> header, which the client chooses and would make the server advertise any host.
    /// </summary>
    private static string ToolboxUrl(HttpContext context, DaytonaServerOptions options)
    {
        if (options.PublicBaseUrl is { } configured)
        {
            return configured.TrimEnd('/') + "/toolbox";
        }

        var connection = context.Connection;
        var address = connection.LocalIpAddress is { } ip
            ? new System.Net.IPEndPoint(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, connection.LocalPort).ToString()
            : "127.0.0.1";
        return $"{context.Request.Scheme}://{address}{context.Request.PathBase}/toolbox";
    }

    /// <summary>A Dockerfile's <c>FROM</c> image or the snapshot name, as the image the sandbox reports.</summary>
    private static string? ImageOf(CreateSandboxRequest body)
    {
        var from = body.BuildInfo?.DockerfileContent?
            .Split('\n')
            .Select(line => line.Trim())
            .FirstOrDefault(line => line.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase));
        return from is not null ? from[5..].Trim() : body.Snapshot;
    }

    // nextCursor is required and nullable in the spec: the last page says null rather than leaving it out.
    private sealed record ListSandboxesResponse(
        IReadOnlyList<SandboxView> Items,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? NextCursor);
}
