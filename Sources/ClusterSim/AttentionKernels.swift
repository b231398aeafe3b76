import Hardware
import ModelKit

extension SystemProfile {
    /// The measured forward+backward efficiency curve of a fused attention kernel on this system: cuDNN's where the
    /// profile has one, else FlashAttention-2's (the same algorithm); nil for the standard kernel or when neither was
    /// measured (then the core is priced on the GEMM curve).
    public func attentionCurve(_ kernel: AttentionKernel) -> EfficiencyCurve? {
        switch kernel {
        case .standard: nil
        case .flash: efficiency.flashAttentionCurve
        case .cudnn: efficiency.cudnnAttentionCurve ?? efficiency.flashAttentionCurve
        }
    }

    /// The fused kernel a training stack on this system would run: cuDNN when measured (Transformer Engine on Hopper),
    /// else FlashAttention; nil on CPU profiles (MiniGPT has no fused kernel).
    public var fusedAttentionKernel: AttentionKernel? {
        stack == .minigpt ? nil : (efficiency.cudnnAttentionCurve != nil ? .cudnn : .flash)
    }
}
