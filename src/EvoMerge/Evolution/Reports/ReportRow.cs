namespace EvoMerge.Evolution.Reports;

/// <summary>One row of a results table: a model or merge and its score on a held-out split.</summary>
public sealed record ReportRow(string Entry, double Accuracy, int Items, double Seconds);
