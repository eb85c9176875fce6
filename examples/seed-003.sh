# Seed 003: 无头服务 vs 有头服务 (the restaurant analogy) — a headful Service load-balances over
# its pods through one virtual IP; a headless one hands out every pod's IP, and with a
# StatefulSet each pod ("each chef's kitchen") has its own DNS name.
# Source: shared/seeds/003. Run: svclab run examples/seed-003.sh
#
# The seed only gives DNS names with placeholders (`servicename`, `namespace`, `pod-0`); the
# manifests below are the minimal real ones that make those exact names resolve: namespace
# `namespace`, Service `servicename`, and a StatefulSet `pod` whose pods are `pod-0..2`.
# The image answers `Hello from <pod name>`, so each response shows which pod ("chef") served it.
kubectl create namespace namespace
cat > pod.yaml << EOF
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: pod
  namespace: namespace
spec:
  serviceName: servicename
  replicas: 3
  selector:
    matchLabels:
      app: chef
  template:
    metadata:
      labels:
        app: chef
    spec:
      containers:
      - name: chef
        image: eddiehale/hellonodeapi
        ports:
        - containerPort: 3000
EOF
# 「有头服务：每个服务会分配一个 虚拟 IP 地址 … Kubernetes 自动将流量分发到不同的 Pods」
cat > servicename.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: servicename
  namespace: namespace
spec:
  selector:
    app: chef
  ports:
  - port: 80
    targetPort: 3000
EOF
kubectl apply -f pod.yaml
kubectl apply -f servicename.yaml
kubectl rollout status statefulset/pod -n namespace
kubectl get svc,pods -n namespace -o wide
# 「例子：`servicename.namespace.svc.cluster.local` 会解析为一个 IP 地址，客户端通过这个地址访问服务。」
# 「有头服务：Kubernetes 会 自动负载均衡」: requests to the one address reach different pods.
kubectl run -it --image busybox:1.28 test --restart=Never --rm /bin/sh
nslookup servicename.namespace.svc.cluster.local
wget -qO- http://servicename.namespace.svc.cluster.local
wget -qO- http://servicename.namespace.svc.cluster.local
wget -qO- http://servicename.namespace.svc.cluster.local
wget -qO- http://servicename.namespace.svc.cluster.local
exit
# 「无头服务：没有虚拟 IP，直接通过 DNS 解析得到每个 Pod 的 IP 地址」: clusterIP is immutable,
# so the Service is recreated headless under the same name.
kubectl delete svc servicename -n namespace
cat > servicename-headless.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: servicename
  namespace: namespace
spec:
  clusterIP: None
  selector:
    app: chef
  ports:
  - port: 3000
EOF
kubectl apply -f servicename-headless.yaml
kubectl get svc -n namespace
# 「DNS 解析会返回所有 Pod 的 IP 地址」 and
# 「例子：`pod-0.servicename.namespcae.svc.cluster.local` 会解析为 Pod 0 的 IP 地址」.
# The seed misspells the namespace (`namespcae`); the real name uses `namespace`. Spelled as in
# the seed it names a namespace that does not exist: CoreDNS answers NXDOMAIN and busybox's
# nslookup fails (shown last, with `|| true`).
kubectl run -it --image busybox:1.28 test --restart=Never --rm /bin/sh
nslookup servicename.namespace.svc.cluster.local
nslookup pod-0.servicename.namespace.svc.cluster.local
wget -qO- http://pod-0.servicename.namespace.svc.cluster.local:3000
nslookup pod-0.servicename.namespcae.svc.cluster.local || true
exit
