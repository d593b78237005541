using RestSharp.Interceptors;

namespace WorkflowEngine.Daytona.Rest.Internal;

/// <summary>
/// Sends a ready-made <see cref="HttpContent"/> as the request body. RestSharp adds a request's files before its
/// form fields, but Daytona's <c>bulk-upload</c> reads <c>files[i].path</c> before <c>files[i].file</c>, so the
/// body is built by hand and swapped in here, keeping the client's headers, timeout and error handling.
/// </summary>
internal sealed class RequestContentInterceptor(HttpContent content) : Interceptor
{
    /// <inheritdoc />
    public override ValueTask BeforeHttpRequest(HttpRequestMessage requestMessage, CancellationToken cancellationToken)
    {
        requestMessage.Content = content;
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Keeps the <see cref="HttpResponseMessage"/> of a streamed download: RestSharp's stream API returns only the body,
/// and the multipart boundary (a header) and the status of a failed call are needed too. The owner disposes it.
/// </summary>
internal sealed class ResponseCaptureInterceptor : Interceptor
{
    /// <summary>The response, once headers arrived; <see langword="null"/> when there was none (no connection).</summary>
    public HttpResponseMessage? Response { get; private set; }

    /// <inheritdoc />
    public override ValueTask AfterHttpRequest(HttpResponseMessage responseMessage, CancellationToken cancellationToken)
    {
        Response = responseMessage;
        return ValueTask.CompletedTask;
    }
}
