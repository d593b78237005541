namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>The toolbox's <c>FilesDownloadRequest</c> (<c>POST /files/bulk-download</c>).</summary>
internal sealed class BulkDownloadRequestDto
{
    public required List<string> Paths { get; set; }
}
