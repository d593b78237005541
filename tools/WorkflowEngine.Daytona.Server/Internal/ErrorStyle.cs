namespace WorkflowEngine.Daytona.Server.Internal;

/// <summary>Which of Daytona's two error bodies a route answers with.</summary>
internal enum ErrorStyle
{
    /// <summary>The API's NestJS body: <c>{statusCode, error, message, path, timestamp}</c>.</summary>
    Api,

    /// <summary>The toolbox's <c>ErrorResponse</c>: <c>{statusCode, message, path, timestamp, code, method, source}</c>.</summary>
    Toolbox,
}
