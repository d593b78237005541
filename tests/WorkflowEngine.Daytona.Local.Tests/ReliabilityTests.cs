using WorkflowEngine.Daytona.Sandboxes;

namespace WorkflowEngine.Daytona.Local.Tests;

public sealed class ReliabilityTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task CreateExecDelete_FiftyCyclesFourInParallel_AllSucceedAndLeaveNothingBehind()
    {
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Parallel.ForAsync(0, 50, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, cancellationToken) =>
        {
            var created = await fixture.Provider.CreateAsync(new SandboxSpec { Name = $"cycle-{i}" }, cancellationToken);
            if (!created.Succeeded)
            {
                failures.Add($"create {i}: {created.Error}");
                return;
            }

            ids.Add(created.Value.Id);
            var run = await fixture.Provider.Process.RunCodeAsync(created.Value.Id, "python", $"print({i} * 2)", cancellationToken: cancellationToken);
            if (!run.Succeeded || run.Value.Stdout != $"{i * 2}\n")
            {
                failures.Add($"exec {i}: {run.Error?.ToString() ?? run.Value!.Stdout + run.Value.Stderr}");
            }

            var deleted = await fixture.Provider.DeleteAsync(created.Value.Id, cancellationToken);
            if (!deleted.Succeeded)
            {
                failures.Add($"delete {i}: {deleted.Error}");
            }
        });

        Assert.Empty(failures);
        Assert.Equal(50, ids.Count);
        var remaining = (await fixture.Provider.ListAsync()).Value!.Select(s => s.Id).ToHashSet();
        foreach (var id in ids)
        {
            Assert.DoesNotContain(id, remaining);
            Assert.False(Directory.Exists(Path.Combine(fixture.DataDirectory, "sandboxes", id)), $"folder of {id} left behind");
            foreach (var controller in new[] { "memory", "pids", "cpu", "unified", "." })
            {
                // A cgroup directory can only be removed once no process is left in it.
                Assert.False(Directory.Exists($"/sys/fs/cgroup/{controller}/wfe/{id}"), $"{controller} cgroup of {id} left behind");
            }
        }
    }
}
