using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WorkflowEngine.Tools;

/// <summary>One method of a tool: its name, its typed request and its parameters.</summary>
public sealed record ToolMethodDescriptor
{
    /// <summary>The method name used in <c>method:</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What it does.</summary>
    public string? Description { get; init; }

    /// <summary>The typed request that its handler takes.</summary>
    public required Type RequestType { get; init; }

    /// <summary>Parameters that must be given.</summary>
    public IReadOnlyList<string> Required { get; init; } = [];

    /// <summary>Parameters that may be given.</summary>
    public IReadOnlyList<string> Optional { get; init; } = [];

    /// <summary>Describes a method from its request type: <see langword="required"/> properties are required parameters.</summary>
    public static ToolMethodDescriptor For(Type requestType, string name, string? description = null)
    {
        var required = new List<string>();
        var optional = new List<string>();
        foreach (var property in requestType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var parameter = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
                ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);
            (property.GetCustomAttribute<RequiredMemberAttribute>() is not null ? required : optional).Add(parameter);
        }

        return new ToolMethodDescriptor
        {
            Name = name,
            Description = description,
            RequestType = requestType,
            Required = required,
            Optional = optional,
        };
    }

    /// <summary>A sentence listing the parameters, used in error messages.</summary>
    public string DescribeParameters() =>
        $"Required: {(Required.Count == 0 ? "none" : string.Join(", ", Required))}. Optional: {(Optional.Count == 0 ? "none" : string.Join(", ", Optional))}.";
}
