using Mediator;

namespace WorkflowEngine.Tools;

/// <summary>
/// Marks a typed tool-method request. Implement it together with <c>IRequest&lt;TResult&gt;</c>; properties
/// declared <see langword="required"/> are the method's required parameters, the rest are optional.
/// Parameter names are the snake_case property names.
/// </summary>
public interface IToolRequest : IMessage;
