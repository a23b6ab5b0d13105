using Luma.Unified.Cli;
using Luma.Unified.Runtime.Native;

// Before the first tensor: keeps freed activation memory in the process instead of unmapping it every step.
MallocTuning.Configure();
return LumaCli.Run(args, Console.Out, Console.Error);
