using WorkflowEngine.Agents.Tests.Support;
using WorkflowEngine.Agents.Understanding;
using Xunit.Abstractions;

namespace WorkflowEngine.Agents.Tests.Understanding;

public sealed class IntentsEvaluationTests(ITestOutputHelper output)
{
    [IntentsFileFact]
    public void Interpret_PublicIntents_AtLeast38Of40Pass() => Evaluate(RepositoryPaths.PublicIntents!, minimum: 38);

    [Fact]
    public void Interpret_ExtraPhrasings_AllPass() => Evaluate(RepositoryPaths.TestData("extra-intents.yaml"), minimum: null);

    private void Evaluate(string path, int? minimum)
    {
        var cases = IntentFile.Load(path);
        var failures = new List<string>();
        foreach (var intent in cases)
        {
            var planned = RequestInterpreter.InterpretAll(intent.Input);
            var mismatch = IntentMatcher.Mismatch(intent, planned);
            if (mismatch is not null)
            {
                failures.Add($"{intent.Name}: {mismatch}");
            }
        }

        var passed = cases.Count - failures.Count;
        output.WriteLine($"{Path.GetFileName(path)}: {passed}/{cases.Count} passed");
        foreach (var failure in failures)
        {
            output.WriteLine("FAIL " + failure);
        }

        var required = minimum ?? cases.Count;
        Assert.True(passed >= required, $"{passed}/{cases.Count} passed, need {required}:\n" + string.Join("\n", failures));
    }
}
