namespace WorkflowEngine.Agents.Understanding;

/// <summary>
/// Plans <c>daytona_environment</c> calls from natural language, offline and deterministically: ordered rules
/// choose the method, extractors pull out only the parameters the request states.
/// </summary>
public static class RequestInterpreter
{
    /// <summary>The one call <paramref name="request"/> asks for (the first, when it asks for several).</summary>
    /// <param name="request">The user's request.</param>
    public static PlannedCall Interpret(string request) => InterpretAll(request)[0];

    /// <summary>Every call <paramref name="request"/> asks for, in order ("commit and push" is two git calls).</summary>
    /// <param name="request">The user's request.</param>
    public static IReadOnlyList<PlannedCall> InterpretAll(string request)
    {
        var text = RequestText.Parse(request ?? "");
        var target = SandboxTargetExtractor.Find(text);
        var paths = PathExtractor.Find(text.Prose);
        var classification = MethodClassifier.Classify(text, target, paths);
        if (classification.Method == DaytonaMethods.GitOperation && classification.Operations.Count > 1)
        {
            return classification.Operations
                .Select(operation => Build(text, target, DaytonaMethods.GitOperation, operation, classification.Confidence))
                .ToList();
        }

        return [Build(text, target, classification.Method, classification.Operations.FirstOrDefault(), classification.Confidence)];
    }

    /// <summary>Reads <paramref name="request"/> as a call to <paramref name="method"/>, whatever it would be classified as.</summary>
    /// <param name="request">The user's request.</param>
    /// <param name="method">One of <see cref="DaytonaMethods.All"/>.</param>
    public static PlannedCall InterpretAs(string request, string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var text = RequestText.Parse(request ?? "");
        var target = SandboxTargetExtractor.Find(text);
        var paths = PathExtractor.Find(text.Prose);
        var classification = MethodClassifier.Classify(text, target, paths);
        string? operation = null;
        if (classification.Method == method)
        {
            operation = classification.Operations.FirstOrDefault();
        }
        else if (method == DaytonaMethods.FileOperation)
        {
            operation = FileOperationDetector.Detect(text, paths);
        }
        else if (method == DaytonaMethods.GitOperation)
        {
            operation = GitOperationDetector.Detect(text.Normalized).FirstOrDefault();
        }

        return Build(text, target, method, operation, classification.Method == method ? classification.Confidence : 0.5);
    }

    /// <summary>Classifies <paramref name="request"/> into one of the eight methods with a confidence from 0 to 1.</summary>
    /// <param name="request">The user's request.</param>
    public static (string Method, double Confidence) Classify(string request)
    {
        var text = RequestText.Parse(request ?? "");
        var classification = MethodClassifier.Classify(text, SandboxTargetExtractor.Find(text), PathExtractor.Find(text.Prose));
        return (classification.Method, classification.Confidence);
    }

    private static PlannedCall Build(RequestText text, SandboxTarget target, string method, string? operation, double confidence)
    {
        var parameters = method switch
        {
            DaytonaMethods.CreateSandbox => CreateParameterExtractor.Extract(text),
            DaytonaMethods.ExecuteCode => ExecutionParameterExtractor.Code(text),
            DaytonaMethods.ExecuteShell => ExecutionParameterExtractor.Shell(text),
            DaytonaMethods.FileOperation => FileParameterExtractor.Extract(text, operation),
            DaytonaMethods.GitOperation => GitParameterExtractor.Extract(text, operation),
            _ => new Dictionary<string, object?>(StringComparer.Ordinal),
        };

        var reference = SandboxReference.None;
        if (RequiredParameters.NeedsSandbox(method))
        {
            reference = target.Kind;
            if (target.Value is not null)
            {
                parameters = new Dictionary<string, object?>(parameters, StringComparer.Ordinal) { ["sandbox_id"] = target.Value };
                parameters = Ordered(parameters);
            }
        }

        return new PlannedCall(method, parameters, RequiredParameters.Missing(method, parameters), reference, confidence);
    }

    private static Dictionary<string, object?> Ordered(Dictionary<string, object?> parameters)
    {
        var ordered = new Dictionary<string, object?>(StringComparer.Ordinal) { ["sandbox_id"] = parameters["sandbox_id"] };
        foreach (var (key, value) in parameters)
        {
            ordered.TryAdd(key, value);
        }

        return ordered;
    }
}
