using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/WorkflowEngine.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
