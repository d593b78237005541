using System.Security.Cryptography;
using System.Text;
using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Server.Internal;

/// <summary>
/// Caps the sandboxes an API key holds (<see cref="DaytonaServerOptions.MaxSandboxesPerKey"/>): each one it creates
/// carries <see cref="SandboxView.KeyLabel"/> with a fingerprint of the key. Counting and reserving a place happen one
/// request at a time; the creates themselves run side by side, each holding its reserved place until it is listed.
/// </summary>
internal sealed class KeyQuota(DaytonaServerOptions options)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _creating;

    /// <summary>The key's fingerprint (not the key: labels are stored in the registry).</summary>
    public string KeyId { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(options.ApiKey ?? "")))[..16];

    /// <summary>Creates the sandbox unless the key already holds its maximum; the error says how to make room.</summary>
    public async Task<SandboxResult<SandboxInfo>> CreateAsync(ISandboxProvider provider, SandboxSpec spec)
    {
        // A create runs to its end even if the client goes away (see the caller), so these waits take no token.
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var listed = await provider.ListAsync(CancellationToken.None).ConfigureAwait(false);
            if (!listed.Succeeded)
            {
                return listed.Error;
            }

            // A create that just finished may be counted twice (listed and still reserved): erring towards refusing.
            var held = listed.Value.Count(s => s.Labels.TryGetValue(SandboxView.KeyLabel, out var id) && id == KeyId) + Volatile.Read(ref _creating);
            if (held >= options.MaxSandboxesPerKey)
            {
                return SandboxResult<SandboxInfo>.Fail(SandboxErrorKind.LimitExceeded,
                    $"This API key already holds {held} sandboxes, the most it may (MaxSandboxesPerKey {options.MaxSandboxesPerKey}, wfe serve --max-sandboxes-per-key). Delete one it no longer needs (DELETE /api/sandbox/{{id}}) and try again.");
            }

            Interlocked.Increment(ref _creating);
        }
        finally
        {
            _gate.Release();
        }

        try
        {
            var labels = new Dictionary<string, string>(spec.Labels, StringComparer.Ordinal) { [SandboxView.KeyLabel] = KeyId };
            return await provider.CreateAsync(spec with { Labels = labels }, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _creating);
        }
    }
}
