using System.Text.RegularExpressions;

namespace WorkflowEngine.Agents.Understanding;

/// <summary>Finds the programming language a request states, or that quoted code is written in.</summary>
internal static class LanguageDetector
{
    private static readonly Regex TypeScript = Rx.Create(@"\b(?:typescript|ts-node|tsx|deno|ts)\b");
    private static readonly Regex JavaScript = Rx.Create(@"\b(?:javascript|ecmascript|node\.?js|nodejs|node|js)\b");
    private static readonly Regex Python = Rx.Create(@"\b(?:python\d?(?:\.\d+)?|cpython|py)\b");
    private static readonly Regex Bash = Rx.Create(@"\b(?:bash|zsh|shell\s+script|sh\s+script)\b");

    private static readonly Regex Paths = Rx.Create(@"\S*/\S*|\S+\.(?:py|js|ts|sh|json|txt|csv|md)\b");

    private static readonly Regex JsCode = Rx.Create(@"console\.log|=>|\b(?:const|let|var|function)\s|require\(|\bprocess\.|document\.");
    private static readonly Regex PyCode = Rx.Create(@"\bprint\s*\(|^\s*import\s+\w|^\s*from\s+\w+\s+import\b|^\s*def\s+\w+\(|\bf""|\.__\w+__", RegexOptions.Multiline);
    private static readonly Regex ShCode = Rx.Create(@"^\s*(?:echo|ls|cd|export|set\s+-e|#!/bin/(?:ba)?sh)\b", RegexOptions.Multiline);

    private static readonly Regex Frameworks = Rx.Create(
        @"\b(?<python>flask|django|fastapi|pandas|numpy|scipy|jupyter|notebook|pytorch|torch|tensorflow|keras|scikit|sklearn|machine\s+learning|ml|data\s+science|deep\s+learning|ai)\b|\b(?<javascript>react|express|vue|angular|svelte|next\.?js|npm|frontend|front-end|web\s+app|website)\b|\b(?<bash>devops|shell|cli\s+tools|scripting|automation)\b");

    /// <summary>The language named in prose (lower-case, paths ignored); TypeScript wins over Node.js when both appear.</summary>
    public static string? Stated(string prose)
    {
        var text = Paths.Replace(prose.ToLowerInvariant(), " ");
        if (TypeScript.IsMatch(text))
        {
            return "typescript";
        }

        var candidates = new (Regex Pattern, string Language)[] { (JavaScript, "javascript"), (Python, "python"), (Bash, "bash") };
        var best = candidates
            .Select(c => (Match: c.Pattern.Match(text), c.Language))
            .Where(c => c.Match.Success)
            .OrderBy(c => c.Match.Index)
            .FirstOrDefault();
        return best.Match is null ? null : best.Language;
    }

    /// <summary>The language of a fence's info string (<c>py</c>, <c>js</c>, <c>sh</c>…).</summary>
    public static string? FromFenceInfo(string? info) => info?.Trim().ToLowerInvariant() switch
    {
        "python" or "py" or "python3" => "python",
        "javascript" or "js" or "node" or "nodejs" or "mjs" => "javascript",
        "typescript" or "ts" => "typescript",
        "bash" or "sh" or "shell" or "zsh" or "console" => "bash",
        _ => null,
    };

    /// <summary>The language that code looks like, when it is clear.</summary>
    public static string? FromCode(string code)
    {
        if (JsCode.IsMatch(code))
        {
            return "javascript";
        }

        if (PyCode.IsMatch(code))
        {
            return "python";
        }

        return ShCode.IsMatch(code) ? "bash" : null;
    }

    /// <summary>The language a file extension implies.</summary>
    public static string? FromExtension(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".py" => "python",
        ".js" or ".mjs" or ".cjs" => "javascript",
        ".ts" => "typescript",
        ".sh" or ".bash" => "bash",
        _ => null,
    };

    /// <summary>The language a use case suggests (Flask → python, React → javascript, DevOps → bash).</summary>
    public static string? Suggested(string prose)
    {
        var m = Frameworks.Match(prose.ToLowerInvariant());
        if (!m.Success)
        {
            return null;
        }

        return m.Groups["python"].Success ? "python" : m.Groups["javascript"].Success ? "javascript" : "bash";
    }
}
