# Issue 12's careless and hostile arguments to the public API, each run in real PyTorch 1.13: the
# outcome (shape, dtype, values, or the error's class and first line) is written to
# test/fixtures/hostile_api.json; test/hostile_api.test.ts makes the same calls in typetorch and
# checks that none hangs, crashes with a raw JavaScript error, or returns what PyTorch refuses.
#   /usr/bin/python3 scripts/gen_hostile_api_fixtures.py
import json, math, warnings
import torch
import torch.nn as nn
import torch.nn.functional as F
warnings.filterwarnings("ignore")

def enc(v):
    if isinstance(v, float) and math.isnan(v): return "nan"
    if isinstance(v, float) and math.isinf(v): return "inf" if v > 0 else "-inf"
    return v

out = {}
def case(name, f):
    assert name not in out, name
    torch.manual_seed(0)
    try:
        r = f()
        if isinstance(r, torch.Tensor):
            out[name] = {"shape": list(r.shape), "dtype": str(r.dtype).replace("torch.", ""),
                         "values": [enc(v) for v in r.detach().reshape(-1).tolist()][:16]}
        else: out[name] = {"ok": True}
    except Exception as e:
        out[name] = {"error": {"type": type(e).__name__, "message": str(e).split("\n")[0]}}

P = lambda: [torch.ones(1, requires_grad=True)]
NAN, INF = float("nan"), float("inf")
x4 = lambda: torch.ones(1, 1, 5, 5)
w3 = lambda: torch.ones(1, 1, 3, 3)

# creation
case("eye_negative", lambda: torch.eye(-1))
case("eye_negative_m", lambda: torch.eye(2, -1))
case("eye_float", lambda: torch.eye(2.5))
case("arange_nan_end", lambda: torch.arange(0, NAN))
case("arange_inf_end", lambda: torch.arange(0.5, INF))
case("arange_nan_step", lambda: torch.arange(0, 10, NAN))
case("arange_zero_step", lambda: torch.arange(0, 10, 0))
case("arange_wrong_sign", lambda: torch.arange(10, 0, 1))
case("arange_overflow", lambda: torch.arange(0, 1e20))
case("full_string", lambda: torch.full([2], "a"))
case("full_none", lambda: torch.full([2], None))
case("full_list", lambda: torch.full([2], [1]))
case("zeros_negative", lambda: torch.zeros(-1))
case("zeros_negative_2d", lambda: torch.zeros(2, -3))
case("randn_negative", lambda: torch.randn(-1))
case("rand_negative", lambda: torch.rand(3, -1))
case("ones_negative", lambda: torch.ones(-2))
case("empty_huge", lambda: torch.empty(3000000000000))
case("zeros_huge", lambda: torch.zeros(1000000, 1000000))
case("linspace_negative_steps", lambda: torch.linspace(0, 1, -1))
case("randint_empty_range", lambda: torch.randint(0, 0, (3,)))
case("randint_reversed", lambda: torch.randint(5, 2, (3,)))
case("randperm_negative", lambda: torch.randperm(-1))
case("normal_negative_std", lambda: torch.normal(0.0, -1.0, (2,)))
case("tensor_ragged", lambda: torch.tensor([[1, 2], [3]]))
case("tensor_ragged_deep", lambda: torch.tensor([[[1], [2]], [[3], [4, 5]]]))
case("tensor_none", lambda: torch.tensor(None))
case("tensor_none_inside", lambda: torch.tensor([1, None]))
case("tensor_string", lambda: torch.tensor(["a"]))
case("tensor_dict", lambda: torch.tensor({}))
case("tensor_int_overflow", lambda: torch.tensor(2**70))
case("tensor_int_overflow_list", lambda: torch.tensor([1, -2**63 - 1]))
case("dtype_as_string", lambda: torch.ones(2, dtype="float32"))
# NaN and infinities cast to int64, then used as indices
case("nan_to_long", lambda: torch.tensor([NAN, INF, -INF]).long())
case("nan_index", lambda: torch.ones(3)[torch.tensor([NAN]).long()])
case("nan_embedding", lambda: F.embedding(torch.tensor([NAN]).long(), torch.ones(3, 2)))
case("nan_gather", lambda: torch.ones(3).gather(0, torch.tensor([NAN]).long()))
case("nan_cross_entropy_target", lambda: F.cross_entropy(torch.ones(1, 3), torch.tensor([NAN]).long()))
case("nan_index_select", lambda: torch.ones(3).index_select(0, torch.tensor([NAN]).long()))
case("nan_one_hot", lambda: F.one_hot(torch.tensor([NAN]).long(), 3))
# views and shapes
case("view_two_inferred", lambda: torch.ones(2).view(-1, -1))
case("view_bad_size", lambda: torch.ones(6).view(4, -1))
case("reshape_negative", lambda: torch.ones(6).reshape(-2, 3))
case("reshape_zero_infer", lambda: torch.ones(0).reshape(0, -1))
case("view_noncontiguous", lambda: torch.ones(2, 3).t().view(6))
case("expand_negative", lambda: torch.ones(2).expand(-2, 2))
case("permute_repeated", lambda: torch.ones(2, 3).permute(0, 0))
case("permute_too_few", lambda: torch.ones(2, 3).permute(0))
case("transpose_out_of_range", lambda: torch.ones(2, 3).transpose(0, 2))
case("squeeze_out_of_range", lambda: torch.ones(2, 3).squeeze(3))
case("unsqueeze_out_of_range", lambda: torch.ones(2, 3).unsqueeze(4))
case("narrow_negative_length", lambda: torch.ones(3).narrow(0, 0, -1))
case("select_out_of_range", lambda: torch.ones(3).select(0, 3))
case("chunk_zero", lambda: torch.ones(3).chunk(0))
case("split_zero", lambda: torch.ones(3).split(0))
case("flatten_bad_dims", lambda: torch.ones(2, 3, 4).flatten(2, 1))
case("cat_empty_list", lambda: torch.cat([]))
case("cat_dim_mismatch", lambda: torch.cat([torch.ones(2, 3), torch.ones(2, 4)]))
case("stack_shape_mismatch", lambda: torch.stack([torch.ones(2), torch.ones(3)]))
case("sum_dim_out_of_range", lambda: torch.ones(2, 2).sum(dim=5))
case("sum_dim_repeated", lambda: torch.ones(2, 2).sum(dim=(0, 0)))
case("index_float_tensor", lambda: torch.ones(3)[torch.tensor([0.5])])
case("index_out_of_range", lambda: torch.ones(3)[5])
case("index_too_many", lambda: torch.ones(3)[0, 0])
case("mask_wrong_shape", lambda: torch.ones(3)[torch.tensor([True, False])])
# arithmetic
case("matmul_shapes", lambda: torch.ones(2, 3) @ torch.ones(2, 3))
case("add_shapes", lambda: torch.ones(3) + torch.ones(4))
case("add_string", lambda: torch.ones(3) + "a")
case("int_div_zero", lambda: torch.tensor([1]) // torch.tensor([0]))
case("int_remainder_zero", lambda: torch.tensor([1]) % torch.tensor([0]))
case("bool_neg", lambda: -torch.tensor([True]))
case("pow_negative_int", lambda: torch.tensor([2]) ** -1)
case("clamp_no_bounds", lambda: torch.ones(2).clamp())
case("softmax_dim_out_of_range", lambda: torch.ones(2).softmax(1))
case("mean_of_long", lambda: torch.tensor([1, 2]).mean())
case("std_of_long", lambda: torch.tensor([1, 2]).std())
case("requires_grad_long", lambda: torch.tensor([1, 2]).requires_grad_())
case("backward_nonscalar", lambda: (torch.ones(2, requires_grad=True) * 2).backward())
case("backward_no_grad", lambda: torch.ones(2).sum().backward())
case("grad_wrong_shape", lambda: (torch.ones(2, requires_grad=True) * 2).backward(torch.ones(3)))
case("backward_str_gradient", lambda: (torch.ones(2, requires_grad=True) * 2).sum().backward("a"))
case("backward_options_first", lambda: [t := torch.ones(2, requires_grad=True), (t * 2).sum().backward(retain_graph=True), t.grad][-1])
def hook_shape():
    a = torch.ones(2, requires_grad=True); b = a * 2
    b.register_hook(lambda g: torch.ones(3)); b.sum().backward()
case("hook_changes_size", hook_shape)
def hook_dtype():
    a = torch.ones(2, requires_grad=True); b = a * 2
    b.register_hook(lambda g: g.double()); b.sum().backward(); return a.grad
case("hook_changes_dtype", hook_dtype)
def hook_long():
    a = torch.ones(2, requires_grad=True); b = a * 2
    b.register_hook(lambda g: g.long()); b.sum().backward(); return a.grad
case("hook_changes_to_long", hook_long)
def leaf_hook_shape():
    a = torch.ones(2, requires_grad=True)
    a.register_hook(lambda g: torch.ones(3)); (a * 2).sum().backward()
case("leaf_hook_changes_size", leaf_hook_shape)
def grad_assign_shape():
    a = torch.ones(2, requires_grad=True); a.grad = torch.ones(3)
case("grad_assign_wrong_shape", grad_assign_shape)
def grad_assign_dtype():
    a = torch.ones(2, requires_grad=True); a.grad = torch.ones(2, dtype=torch.float64)
case("grad_assign_wrong_dtype", grad_assign_dtype)
# nn
case("linear_negative", lambda: nn.Linear(-1, 2))
case("linear_float_size", lambda: nn.Linear(2.5, 2))
case("linear_input_shape", lambda: nn.Linear(3, 2)(torch.ones(2, 4)))
case("linear_input_dtype", lambda: nn.Linear(3, 2)(torch.ones(2, 3, dtype=torch.float64)))
case("linear_input_long", lambda: nn.Linear(3, 2)(torch.ones(2, 3, dtype=torch.long)))
case("conv_kernel_zero", lambda: F.conv2d(x4(), torch.ones(1, 1, 0, 3)))
case("conv_stride_zero", lambda: F.conv2d(x4(), w3(), stride=0))
case("conv_stride_negative", lambda: F.conv2d(x4(), w3(), stride=-1))
case("conv_padding_negative", lambda: F.conv2d(x4(), w3(), padding=-1))
case("conv_dilation_zero", lambda: F.conv2d(x4(), w3(), dilation=0))
case("conv_groups_zero", lambda: F.conv2d(x4(), w3(), groups=0))
case("conv_kernel_too_big", lambda: F.conv2d(x4(), torch.ones(1, 1, 7, 7)))
case("conv1d_kernel_zero", lambda: F.conv1d(torch.ones(1, 1, 5), torch.ones(1, 1, 0)))
case("conv1d_stride_zero", lambda: F.conv1d(torch.ones(1, 1, 5), torch.ones(1, 1, 2), stride=0))
case("conv2d_module_kernel_zero_forward", lambda: nn.Conv2d(1, 1, 0)(x4()))
case("conv2d_module_stride_zero_forward", lambda: nn.Conv2d(1, 1, 3, stride=0)(x4()))
case("conv_wrong_channels", lambda: nn.Conv2d(3, 1, 3)(x4()))
case("conv_wrong_rank", lambda: nn.Conv2d(1, 1, 3)(torch.ones(5, 5)))
case("max_pool_kernel_zero", lambda: F.max_pool2d(x4(), 0))
case("max_pool_kernel_zero_stride", lambda: F.max_pool2d(x4(), 0, stride=1))
case("max_pool_stride_zero", lambda: F.max_pool2d(x4(), 2, stride=0))
case("max_pool_stride_negative", lambda: F.max_pool2d(x4(), 2, stride=-1))
case("max_pool_kernel_negative", lambda: F.max_pool2d(x4(), -1))
case("max_pool_padding_negative", lambda: F.max_pool2d(x4(), 2, padding=-1))
case("max_pool_padding_big", lambda: F.max_pool2d(x4(), 2, padding=2))
case("max_pool_dilation_zero", lambda: F.max_pool2d(x4(), 2, dilation=0))
case("max_pool_too_small", lambda: F.max_pool2d(x4(), 7))
case("avg_pool_kernel_zero", lambda: F.avg_pool2d(x4(), 0))
case("avg_pool_kernel_zero_stride", lambda: F.avg_pool2d(x4(), 0, stride=1))
case("avg_pool_stride_zero", lambda: F.avg_pool2d(x4(), 2, stride=0))
case("avg_pool_stride_negative", lambda: F.avg_pool2d(x4(), 2, stride=-1))
case("avg_pool_padding_negative", lambda: F.avg_pool2d(x4(), 2, padding=-1))
case("dropout_p_big", lambda: nn.Dropout(p=1.5))
case("dropout_p_negative", lambda: F.dropout(torch.ones(2), p=-0.1))
case("embedding_out_of_range", lambda: nn.Embedding(3, 3)(torch.tensor([3])))
case("embedding_negative", lambda: nn.Embedding(3, 3)(torch.tensor([-1])))
case("embedding_float_index", lambda: nn.Embedding(3, 3)(torch.tensor([1.0])))
case("sequential_int", lambda: nn.Sequential(5))
case("sequential_string", lambda: nn.Sequential("a"))
case("sequential_module_then_int", lambda: nn.Sequential(nn.ReLU(), 5))
case("module_list_int", lambda: nn.ModuleList([5]))
case("add_module_int", lambda: nn.Linear(2, 2).add_module("x", 5))
case("add_module_dotted_name", lambda: nn.Linear(2, 2).add_module("a.b", nn.ReLU()))
case("add_module_empty_name", lambda: nn.Linear(2, 2).add_module("", nn.ReLU()))
case("load_state_dict_none", lambda: nn.Linear(2, 2).load_state_dict(None))
case("load_state_dict_int", lambda: nn.Linear(2, 2).load_state_dict(5))
case("load_state_dict_list", lambda: nn.Linear(2, 2).load_state_dict([1]))
case("load_state_dict_wrong_shape", lambda: nn.Linear(2, 2).load_state_dict({"weight": torch.ones(3, 3), "bias": torch.ones(2)}))
case("load_state_dict_missing", lambda: nn.Linear(2, 2).load_state_dict({"weight": torch.ones(2, 2)}))
case("mse_shape_mismatch_error", lambda: F.mse_loss(torch.ones(2, 3), torch.ones(4, 3)))
case("cross_entropy_float_target_shape", lambda: F.cross_entropy(torch.ones(2, 3), torch.ones(2)))
case("cross_entropy_target_out_of_range", lambda: F.cross_entropy(torch.ones(2, 3), torch.tensor([0, 3])))
case("cross_entropy_negative_target", lambda: F.cross_entropy(torch.ones(2, 3), torch.tensor([0, -1])))
case("cross_entropy_label_smoothing_big", lambda: F.cross_entropy(torch.ones(2, 3), torch.tensor([0, 1]), label_smoothing=1.5))
case("bce_out_of_range_input", lambda: F.binary_cross_entropy(torch.tensor([1.5]), torch.tensor([1.0])))
case("bce_nan_input", lambda: F.binary_cross_entropy(torch.tensor([NAN]), torch.tensor([1.0])))
case("reduction_unknown", lambda: F.mse_loss(torch.ones(2), torch.ones(2), reduction="avg"))
case("batch_norm_one_value", lambda: nn.BatchNorm1d(3)(torch.ones(1, 3)))
case("layer_norm_shape", lambda: F.layer_norm(torch.ones(2, 3), (4,)))
# optimizers
case("sgd_lr_string", lambda: torch.optim.SGD(P(), lr="0.1"))
case("sgd_lr_none", lambda: torch.optim.SGD(P(), lr=None))
case("sgd_lr_negative", lambda: torch.optim.SGD(P(), lr=-0.1))
case("sgd_lr_nan", lambda: torch.optim.SGD(P(), lr=NAN))
case("sgd_momentum_string", lambda: torch.optim.SGD(P(), lr=0.1, momentum="a"))
case("sgd_momentum_negative", lambda: torch.optim.SGD(P(), lr=0.1, momentum=-1))
case("sgd_nesterov_without_momentum", lambda: torch.optim.SGD(P(), lr=0.1, nesterov=True))
case("sgd_empty_params", lambda: torch.optim.SGD([], lr=0.1))
case("sgd_tensor_params", lambda: torch.optim.SGD(torch.ones(2, requires_grad=True), lr=0.1))
case("adam_lr_string", lambda: torch.optim.Adam(P(), lr="0.1"))
case("adam_lr_nan", lambda: torch.optim.Adam(P(), lr=NAN))
case("adam_betas_big", lambda: torch.optim.Adam(P(), betas=(1.5, 0.9)))
case("adam_betas_string", lambda: torch.optim.Adam(P(), betas=("a", 0.9)))
case("adam_betas_number", lambda: torch.optim.Adam(P(), betas=0.9))
case("adam_eps_negative", lambda: torch.optim.Adam(P(), eps=-0.5))
case("adam_weight_decay_negative", lambda: torch.optim.Adam(P(), weight_decay=-0.5))
case("adamw_lr_string", lambda: torch.optim.AdamW(P(), lr="0.1"))
case("rmsprop_alpha_negative", lambda: torch.optim.RMSprop(P(), alpha=-0.5))
case("rmsprop_lr_string", lambda: torch.optim.RMSprop(P(), lr="0.1"))
case("adagrad_lr_decay_negative", lambda: torch.optim.Adagrad(P(), lr_decay=-0.5))
case("adadelta_rho_big", lambda: torch.optim.Adadelta(P(), rho=1.5))
def dup_params():
    p = torch.ones(1, requires_grad=True); torch.optim.SGD([p, p], lr=0.1)
case("sgd_duplicate_params", dup_params)
def non_leaf_param():
    p = torch.ones(1, requires_grad=True) * 2; torch.optim.SGD([p], lr=0.1)
case("sgd_non_leaf_param", non_leaf_param)
case("step_lr_step_size_string", lambda: torch.optim.lr_scheduler.StepLR(torch.optim.SGD(P(), lr=0.1), step_size="a").step())
# data
case("dataloader_batch_size_zero", lambda: torch.utils.data.DataLoader([1, 2, 3], batch_size=0))
case("dataloader_batch_size_negative", lambda: torch.utils.data.DataLoader([1, 2, 3], batch_size=-1))
case("dataloader_batch_size_float", lambda: torch.utils.data.DataLoader([1, 2, 3], batch_size=1.5))
case("dataloader_shuffle_and_sampler", lambda: torch.utils.data.DataLoader([1, 2, 3], shuffle=True, sampler=torch.utils.data.SequentialSampler([1, 2, 3])))
case("random_split_bad_lengths", lambda: torch.utils.data.random_split([1, 2, 3], [2, 2]))
case("tensor_dataset_size_mismatch", lambda: torch.utils.data.TensorDataset(torch.ones(3), torch.ones(4)))
class ShortDataset(torch.utils.data.Dataset):
    def __len__(self): return 5
    def __getitem__(self, i): return torch.tensor([float(i)]) if i < 3 else None
case("dataloader_dataset_shorter_than_length", lambda: [b for b in torch.utils.data.DataLoader(ShortDataset(), batch_size=2)])
case("dataloader_list_with_string", lambda: [b for b in torch.utils.data.DataLoader([1, "a", 3], batch_size=3)])
case("dataloader_ragged_tensors", lambda: [b for b in torch.utils.data.DataLoader([torch.ones(2), torch.ones(3)], batch_size=2)])
case("dataloader_list_of_numbers", lambda: [b for b in torch.utils.data.DataLoader([1, 2, 3], batch_size=3)][0])
# runtime settings
case("manual_seed_big", lambda: torch.manual_seed(2**64))
case("manual_seed_nan", lambda: torch.manual_seed(NAN))
case("manual_seed_inf", lambda: torch.manual_seed(INF))
case("manual_seed_string", lambda: torch.manual_seed("a"))
case("manual_seed_none", lambda: torch.manual_seed(None))
case("set_num_threads_zero", lambda: torch.set_num_threads(0))
case("set_num_threads_float", lambda: torch.set_num_threads(1.5))
case("to_cuda", lambda: torch.ones(2).to("cuda"))
case("to_gpu", lambda: torch.ones(2).to("gpu"))
case("device_bad", lambda: torch.device("tpu"))
case("device_index_negative", lambda: torch.device("cpu", -2))
case("set_default_dtype_long", lambda: torch.set_default_dtype(torch.long))
with open("test/fixtures/hostile_api.json", "w") as f:
    json.dump(out, f, indent=0)
    f.write("\n")
print(len(out), "cases -> test/fixtures/hostile_api.json")
