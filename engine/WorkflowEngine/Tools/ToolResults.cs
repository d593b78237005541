namespace WorkflowEngine.Tools;

/// <summary>Builds the result objects every tool call returns: always with <c>success</c>; failures with <c>error</c> and <c>error_type</c>.</summary>
public static class ToolResults
{
    /// <summary>A failure result.</summary>
    /// <param name="errorType">A stable machine-readable kind, such as <c>invalid_parameters</c>.</param>
    /// <param name="error">What went wrong and what to do.</param>
    /// <param name="extra">More fields to include.</param>
    public static Dictionary<string, object?> Failure(string errorType, string error, IEnumerable<KeyValuePair<string, object?>>? extra = null)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["success"] = false,
            ["error"] = error,
            ["error_type"] = errorType,
        };
        foreach (var (key, value) in extra ?? [])
        {
            result[key] = value;
        }

        return result;
    }
}
