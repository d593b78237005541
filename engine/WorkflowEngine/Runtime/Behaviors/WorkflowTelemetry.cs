using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace WorkflowEngine.Runtime.Behaviors;

/// <summary>The engine's OpenTelemetry sources: listen to <see cref="SourceName"/> for traces and metrics.</summary>
public static class WorkflowTelemetry
{
    /// <summary>The name of the <see cref="ActivitySource"/> and <see cref="Meter"/>.</summary>
    public const string SourceName = "WorkflowEngine";

    /// <summary>One span per step.</summary>
    public static ActivitySource ActivitySource { get; } = new(SourceName);

    /// <summary>Step metrics.</summary>
    public static Meter Meter { get; } = new(SourceName);

    /// <summary>Step durations in milliseconds, tagged with the step kind and status.</summary>
    public static Histogram<double> StepDuration { get; } = Meter.CreateHistogram<double>("wfe.step.duration", "ms", "Duration of one step attempt sequence");
}
