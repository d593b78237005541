using YamlDotNet.Core;

namespace WorkflowEngine.Definitions;

/// <summary>A definition file went past a nesting or alias limit; reported as a diagnostic at <see cref="YamlException.Start"/>.</summary>
internal sealed class YamlLimitException(Mark start, Mark end, string message) : YamlException(start, end, message);
