// Apart from onnx.ts, so that naming the opset does not load the ONNX writer and its protobuf.

/** The ONNX operator set the exports use (ONNX 1.15's default domain). */
export const onnxOpset = 20;
