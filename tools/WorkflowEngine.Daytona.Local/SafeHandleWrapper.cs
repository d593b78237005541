using Microsoft.Win32.SafeHandles;

namespace WorkflowEngine.Daytona.Local;

/// <summary>An open file's descriptor, to ask the kernel where the file really is.</summary>
internal readonly struct SafeHandleWrapper(SafeFileHandle handle)
{
    /// <summary>The file's real host path via <c>/proc/self/fd</c>, or <see langword="null"/>.</summary>
    public string? RealPath()
    {
        try
        {
            return new FileInfo($"/proc/self/fd/{handle.DangerousGetHandle()}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
