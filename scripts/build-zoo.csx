// Re-creates the task data (data/tasks/) and the tiny model zoo (data/zoo/{base,ja,math-a,math-b})
// from scratch with the library's ZooDataGenerator and ZooBuilder (deterministic on CPU for a fixed
// seed and thread count). A full build trains on 1 CPU thread for a long while; run it with care:
//     evomerge script scripts/build-zoo.csx            # rewrites data/tasks and data/zoo
//     evomerge script scripts/build-zoo.csx -- runs/my-zoo   # the same into another folder
// Under EVOMERGE_QUICK=1 it only does a smoke build into runs/quick/zoo/ (training steps scaled by
// 0.01, small data), never touching data/.
#load "_setup.csx"
using EvoMerge.Zoo.Building;
using EvoMerge.Zoo.Data;

var root =
    Quick ? Path.Combine(RepoRoot, "runs", "quick", "zoo")
    : Args.Count > 0 ? Path.GetFullPath(Args[0])
    : Path.Combine(RepoRoot, "data");
var tasks = Path.Combine(root, "tasks");
var zoo = Path.Combine(root, Quick || Args.Count > 0 ? "models" : "zoo");
var clock = System.Diagnostics.Stopwatch.StartNew();

var dataOptions = new ZooDataOptions { OutputFolder = tasks };
if (Quick)
    dataOptions = dataOptions with
    {
        PretrainDocuments = 400,
        JaTextLines = 200,
        EnMathA = 200,
        EnMathB = 200,
        JaMathTrain = 30,
        JaMathValidation = 20,
        JaMathTest = 20,
    };
var data = ZooDataGenerator.Generate(dataOptions);
foreach (var file in data.Files)
    Console.WriteLine(
        $"{file.Name}: {file.Items} items, {file.Bytes / 1024.0:F0} KiB, sha256 {file.Sha256[..12]}"
    );
Console.WriteLine(
    $"task data in {Path.GetRelativePath(RepoRoot, tasks)} ({clock.Elapsed.TotalSeconds:F0} s)"
);

var zooOptions = new ZooOptions
{
    TasksFolder = tasks,
    OutputFolder = zoo,
    Threads = 1,
    Stages = ZooOptions.DefaultStages(Quick ? 0.01 : 1.0),
};
var reports = ZooBuilder.Build(
    zooOptions,
    new EvoMerge.Common.SyncProgress<string>(Console.WriteLine)
);
foreach (var report in reports)
    Console.WriteLine(
        $"{report.Name}: {report.Training.Steps} steps, {report.Training.Tokens} tokens, final loss {report.Training.FinalLoss:F3}, {report.Training.Seconds:F0} s → {Path.GetRelativePath(RepoRoot, report.Folder)}"
    );
Console.WriteLine($"zoo built in {clock.Elapsed.TotalMinutes:F1} min");
