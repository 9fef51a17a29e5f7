#!/bin/sh
# Recorded output of `nvidia-smi --query-gpu=index,uuid,name,memory.total --format=csv,noheader,nounits`
# on a 4-GPU host, for the inventory tests (this machine has no GPU).
case "$*" in
  *--query-gpu=index,uuid,name,memory.total*) ;;
  *) echo "unexpected arguments: $*" >&2; exit 2 ;;
esac
cat <<'OUT'
0, GPU-0b6c5f4e-2d8a-4f4e-8d8e-3a1b2c3d4e5f, NVIDIA H100 80GB HBM3, 81559
1, GPU-5d3f1c2a-0b1e-4c53-9a43-d7f0a8f2b2a1, NVIDIA H100 80GB HBM3, 81559
2, GPU-9e8d7c6b-5a49-4382-a716-2f1e0d9c8b7a, NVIDIA H100 80GB HBM3, 81559
3, GPU-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d, NVIDIA H100 80GB HBM3, 81559
OUT
