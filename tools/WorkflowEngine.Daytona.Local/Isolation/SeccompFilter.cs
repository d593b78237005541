namespace WorkflowEngine.Daytona.Local.Isolation;

/// <summary>
/// The x86_64 seccomp BPF deny-list from <c>shared/notes/local-sandbox.md</c> §8 (ptrace, mount, unshare,
/// setns, keyctl, bpf, io_uring, kexec… return EPERM; foreign architectures are killed).
/// </summary>
internal static class SeccompFilter
{
    private const string Base64 =
        "IAAAAAQAAAAVAABEPgAAwCAAAAAAAAAANQAAAQAAAEAVAABB/////xUAPwBlAAAAFQA+AGcAAAAVAD0AhwAAABUAPACZAAAAFQA7AJsAAAAVADoAnwAAABUAOQCjAAAAFQA4AKQAAAAVADcApQAAABUANgCmAAAAFQA1AKcAAAAVADQAqAAAABUAMwCpAAAAFQAyAKwAAAAVADEArQAAABUAMACvAAAAFQAvALAAAAAVAC4AswAAABUALQDUAAAAFQAsAOMAAAAVACsA7QAAABUAKgD2AAAAFQApAPgAAAAVACgA+QAAABUAJwD6AAAAFQAmAAABAAAVACUAEAEAABUAJAAXAQAAFQAjACoBAAAVACIALwEAABUAIQAwAQAAFQAgADEBAAAVAB8ANAEAABUAHgA2AQAAFQAdADcBAAAVABwAOQEAABUAGwBAAQAAFQAaAEEBAAAVABkAQwEAABUAGACpAQAAFQAXAKoBAAAVABYAqwEAABUAFQCsAQAAFQAUAK0BAAAVABMArgEAABUAEgCvAQAAFQARALABAAAVABAAsQEAABUAAAGzAQAABgAAACYABQAVAAAFEAAAACAAAAAcAAAAVAAAAAAAAAAVAAAJAAAAACAAAAAYAAAAFQAIBxJUAAAVAAAGOAAAACAAAAAUAAAAVAAAAAAAAAAVAAADAAAAACAAAAAQAAAAVAAAAAAAABAVAAEAAAAAEAYAAAAAAP9/BgAAAAEABQAGAAAAAAAAAA==";

    /// <summary>Writes the filter to <paramref name="path"/> (root-only: the sandbox wrapper opens it before dropping to the sandbox uid) and returns the path.</summary>
    public static string WriteTo(string path)
    {
        var bytes = Convert.FromBase64String(Base64);
        if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            var temporary = path + ".tmp" + Environment.ProcessId;
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }
}
