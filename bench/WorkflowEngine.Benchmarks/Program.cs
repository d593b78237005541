using BenchmarkDotNet.Running;
using WorkflowEngine.Benchmarks;

// dotnet run -c Release --project bench/WorkflowEngine.Benchmarks -- --filter '*'
// dotnet run -c Release --project bench/WorkflowEngine.Benchmarks -- sandbox-latency [runs]
// dotnet run -c Release --project bench/WorkflowEngine.Benchmarks -- validate-scaling [MiB...]
// dotnet run -c Release --project bench/WorkflowEngine.Benchmarks -- daytona-transfer [sizeMiB=200] [runs=3] [child|wfe|inproc]
if (args is ["sandbox-latency", ..])
{
    await SandboxLatency.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50);
    return;
}

if (args is ["daytona-transfer", ..])
{
    await DaytonaTransfer.RunAsync(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3,
        args.Length > 3 ? args[3] : "child");
    return;
}

if (args is ["validate-scaling", ..])
{
    ValidateScaling.Run(args.Length > 1 ? args[1..].Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToList() : [8, 16, 32]);
    return;
}

// The transfer benchmark's server, started by it as a child process: daytona-transfer-server <api key> <data directory>.
if (args is ["daytona-transfer-server", var apiKey, var dataDirectory])
{
    await TransferServer.ServeAsync(apiKey, dataDirectory);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
