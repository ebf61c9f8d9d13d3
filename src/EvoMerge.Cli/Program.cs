using EvoMerge.Cli;

return await EvoMergeCli.RunAsync(args);
