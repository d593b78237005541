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

    public static void Map(RouteGroupBuilder api, ISandboxProvider provider, DaytonaServerOptions options)
    {
        api.MapPost("/sandbox", (Delegate)((HttpContext context) => CreateAsync(context, provider, options)));
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

    private static async Task<IResult> CreateAsync(HttpContext context, ISandboxProvider provider, DaytonaServerOptions options)
    {
        var (body, invalid) = await Body.ReadAsync(context, ErrorStyle.Api, () => new CreateSandboxRequest()).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        var problems = new List<string>();
        if (body!.Cpu is <= 0 || body.Memory is <= 0 || body.Disk is <= 0)
        {
            problems.Add("cpu, memory and disk must be at least 1");
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
                MemoryBytes = body.Memory is { } memory ? (long)(memory * 1024 * 1024 * 1024) : null,
                DiskBytes = body.Disk is { } disk ? (long)(disk * 1024 * 1024 * 1024) : null,
            },
        };
        // A create runs to its end even if the client goes away, so no half-made sandbox is left behind; a
        // sandbox nobody will hear about is deleted again (the client may also find it by label and delete it).
        var created = await provider.CreateAsync(spec, CancellationToken.None).ConfigureAwait(false);
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

    /// <summary>The toolbox base: the configured public URL, else the address this request came in on.</summary>
    private static string ToolboxUrl(HttpContext context, DaytonaServerOptions options)
    {
        var root = options.PublicBaseUrl?.TrimEnd('/') ?? $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
        return root + "/toolbox";
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
