namespace WorkflowEngine.Definitions;

/// <summary>
/// A YAML value with its source position: a scalar, a sequence or a mapping. Step inputs, arguments and
/// parameters stay in this form until run time so that templates inside them can be reported precisely.
/// </summary>
public sealed class ValueNode
{
    private ValueNode(ValueKind kind, SourcePosition position)
    {
        Kind = kind;
        Position = position;
    }

    /// <summary>Which of the three shapes this value has.</summary>
    public ValueKind Kind { get; }

    /// <summary>Where the value starts.</summary>
    public SourcePosition Position { get; }

    /// <summary>The scalar's text; <see langword="null"/> for YAML null or for non-scalars.</summary>
    public string? Text { get; private init; }

    /// <summary>Whether the scalar was quoted or a block, so that <c>"true"</c> stays a string.</summary>
    public bool IsQuoted { get; private init; }

    /// <summary>For block scalars (<c>|</c>, <c>&gt;</c>): the column where the content starts, else 0.</summary>
    public int BlockIndent { get; private init; }

    /// <summary>The items of a sequence.</summary>
    public IReadOnlyList<ValueNode> Items { get; private init; } = [];

    /// <summary>The entries of a mapping, in document order.</summary>
    public IReadOnlyList<KeyValuePair<string, ValueNode>> Entries { get; private init; } = [];

    /// <summary>Creates a scalar.</summary>
    public static ValueNode Scalar(string? text, SourcePosition position, bool isQuoted = false, int blockIndent = 0) =>
        new(ValueKind.Scalar, position) { Text = text, IsQuoted = isQuoted, BlockIndent = blockIndent };

    /// <summary>Creates a sequence.</summary>
    public static ValueNode Sequence(IReadOnlyList<ValueNode> items, SourcePosition position) =>
        new(ValueKind.Sequence, position) { Items = items };

    /// <summary>Creates a mapping.</summary>
    public static ValueNode Mapping(IReadOnlyList<KeyValuePair<string, ValueNode>> entries, SourcePosition position) =>
        new(ValueKind.Mapping, position) { Entries = entries };

    /// <summary>Creates a value from plain .NET data (string, bool, number, list, dictionary), for definitions built in code.</summary>
    public static ValueNode From(object? value) => value switch
    {
        null => Scalar(null, SourcePosition.None),
        ValueNode node => node,
        string s => Scalar(s, SourcePosition.None, isQuoted: true),
        bool b => Scalar(b ? "true" : "false", SourcePosition.None),
        IFormattable f => Scalar(f.ToString(null, System.Globalization.CultureInfo.InvariantCulture), SourcePosition.None),
        IEnumerable<KeyValuePair<string, object?>> map => Mapping(map.Select(e => KeyValuePair.Create(e.Key, From(e.Value))).ToList(), SourcePosition.None),
        System.Collections.IEnumerable list => Sequence(list.Cast<object?>().Select(From).ToList(), SourcePosition.None),
        _ => Scalar(value.ToString(), SourcePosition.None, isQuoted: true),
    };

    /// <summary>Finds a mapping entry by key, or <see langword="null"/>.</summary>
    public ValueNode? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;

    /// <summary>
    /// The plain .NET value without templates applied: strings, <see cref="bool"/>, <see cref="long"/>,
    /// <see cref="double"/>, <see langword="null"/>, <c>List&lt;object?&gt;</c> and <c>Dictionary&lt;string, object?&gt;</c>.
    /// </summary>
    public object? ToPlainValue() => Kind switch
    {
        ValueKind.Sequence => Items.Select(i => i.ToPlainValue()).ToList(),
        ValueKind.Mapping => Entries.ToDictionary(e => e.Key, e => e.Value.ToPlainValue(), StringComparer.Ordinal),
        _ => IsQuoted ? Text : ScalarParser.Parse(Text),
    };

    /// <summary>Visits every scalar in this value, depth first.</summary>
    public IEnumerable<ValueNode> Scalars() => Kind switch
    {
        ValueKind.Scalar => [this],
        ValueKind.Sequence => Items.SelectMany(i => i.Scalars()),
        _ => Entries.SelectMany(e => e.Value.Scalars()),
    };
}
