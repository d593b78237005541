namespace WorkflowEngine.Definitions;

/// <summary>What a step does when it runs.</summary>
public enum StepKind
{
    /// <summary>Calls an agent with a rendered input.</summary>
    Agent,

    /// <summary>Calls a tool method with parameters.</summary>
    Tool,

    /// <summary>Calls a function; LangSwarm's <c>mcp_call</c> with a <c>local://</c> URL.</summary>
    Function,

    /// <summary>Runs another workflow.</summary>
    Workflow,

    /// <summary>The step names no action (a validation error).</summary>
    None,
}
