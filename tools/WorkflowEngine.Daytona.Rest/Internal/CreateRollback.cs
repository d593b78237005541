using System.Diagnostics;
using System.Text.Json;
using RestSharp;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>
/// Undoes a create that did not hand a sandbox to its caller: finds what an ambiguous <c>POST /sandbox</c> may have
/// made (by its create-token label) and deletes it, and deletes sandboxes that never started.
/// </summary>
internal sealed class CreateRollback(DaytonaSandboxProvider provider)
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LeftoverDeleteLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Finds the sandbox a failed create may have made, by its token label, and deletes it; returns what happened, to
    /// be appended to the create's error. Runs even when the caller cancelled (bounded by the request timeout).
    /// </summary>
    public async Task<string> RemoveLeftoverAsync(string token)
    {
        var filter = JsonSerializer.Serialize(new Dictionary<string, string> { [DaytonaSandboxProvider.CreateTokenLabel] = token });
        var found = await provider.Http.SendAsync<ListSandboxesDto>(
            "look for the sandbox",
            () => new RestRequest("sandbox", Method.Get).AddQueryParameter("labels", filter).AddQueryParameter("limit", "100"),
            safe: true,
            CancellationToken.None).ConfigureAwait(false);
        if (!found.Succeeded)
        {
            return $"it may have created a sandbox all the same, and looking for it failed ({found.Error.Message}); delete the sandbox labelled {DaytonaSandboxProvider.CreateTokenLabel}={token} if there is one";
        }

        // Checked here too: a server that ignores the filter must not get every sandbox deleted.
        var ids = (found.Value.Items ?? [])
            .Where(item => item.Labels is { } labels && labels.TryGetValue(DaytonaSandboxProvider.CreateTokenLabel, out var value) && value == token)
            .Select(item => item.Id)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (ids.Count == 0)
        {
            return "no sandbox from this request was found";
        }

        var problems = new List<string>();
        foreach (var id in ids)
        {
            var deleted = await DeleteLeftoverAsync(id).ConfigureAwait(false);
            if (!deleted.Succeeded)
            {
                problems.Add($"deleting sandbox {id} failed ({deleted.Error.Message}); delete it by hand");
            }
        }

        var which = ids.Count == 1 ? $"sandbox {ids[0]}" : $"sandboxes {string.Join(", ", ids)}";
        return problems.Count == 0
            ? $"the server had created {which} all the same, so it was deleted"
            : $"the server had created {which} all the same; {string.Join("; ", problems)}";
    }

    /// <summary>
    /// Deletes a sandbox this provider created but will not hand out. Gone already counts as done; <c>409</c> (a
    /// state change still running, e.g. still creating) is retried for up to <see cref="LeftoverDeleteLimit"/>.
    /// </summary>
    public async Task<SandboxResult<Unit>> DeleteLeftoverAsync(string id)
    {
        var clock = Stopwatch.StartNew();
        var pause = FirstPause;
        while (true)
        {
            var deleted = await provider.DeleteAsync(id, CancellationToken.None).ConfigureAwait(false);
            if (deleted.Succeeded || deleted.Error.Kind == SandboxErrorKind.NotFound)
            {
                return Unit.Value;
            }

            if (deleted.Error.Kind != SandboxErrorKind.Conflict || clock.Elapsed + pause > LeftoverDeleteLimit)
            {
                return deleted;
            }

            await Task.Delay(pause).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks));
        }
    }
}
