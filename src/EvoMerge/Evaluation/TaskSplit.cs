namespace EvoMerge.Evaluation;

/// <summary>Which part of a task's data a set is. Only <see cref="Train"/> is meant for fitness.</summary>
public enum TaskSplit
{
    /// <summary>Used for fitness during evolution.</summary>
    Train,

    /// <summary>Used to compare candidates after a search (model selection reports).</summary>
    Validation,

    /// <summary>Held out: only for the final table.</summary>
    Test,
}
