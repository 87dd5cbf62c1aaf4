package dev.jccl.examples;

/**
 * What one rank ends with: its final parameters, their digest, and the global (all-rank) loss and
 * accuracy of each epoch, measured during training.
 */
public record TrainResult(float[] weights, String weightsSha256, double[] epochLoss, double[] epochAccuracy)
{
}
