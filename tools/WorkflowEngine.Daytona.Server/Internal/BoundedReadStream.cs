namespace WorkflowEngine.Daytona.Server.Internal;

/// <summary>
/// Reads at most <c>limit</c> bytes of an inner stream and throws <see cref="LimitExceededException"/> on the first
/// byte past it, so that a body of unknown length is never buffered beyond the limit. Does not own the inner stream.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, Window(count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer[..Window(buffer.Length)], cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    // Ask for at most one byte past the limit: enough to know it was passed, never more.
    private int Window(int count) => (int)Math.Min(count, limit - _read + 1);

    private int Count(int read)
    {
        _read += read;
        return _read > limit ? throw new LimitExceededException() : read;
    }

    /// <summary>The stream held more than the limit.</summary>
    public sealed class LimitExceededException : IOException;
}
