# Seed 001, docs paragraph 「带选择算符的服务」: for a headless Service with a selector, DNS
# "returns A or AAAA records (IPv4 or IPv6 addresses)" (the seed writes "AAA"; the record
# type is AAAA). Reproducing AAAA needs a dual-stack cluster:
# Run: svclab run --cluster-config examples/seed-001-kind-dual-stack.yaml examples/seed-001-dual-stack.sh
cat > api-deployment.yaml << EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api-deployment
  labels:
    app: api
spec:
  replicas: 2
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: eddiehale/hellonodeapi
        ports:
        - containerPort: 3000
EOF
# The seed's headless Service, asking for both families (`ipFamilyPolicy: PreferDualStack`;
# without it a Service is SingleStack, IPv4 only, even on a dual-stack cluster).
cat > headless-service.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: headless-service
spec:
  clusterIP: None
  ipFamilyPolicy: PreferDualStack
  selector:
    app: api
  ports:
    - protocol: TCP
      port: 80
      targetPort: 3000
EOF
kubectl apply -f api-deployment.yaml
kubectl apply -f headless-service.yaml
kubectl rollout status deployment/api-deployment
# One EndpointSlice per address family (IPv4 → A records, IPv6 → AAAA records).
kubectl get endpointslices -l kubernetes.io/service-name=headless-service
dig +short A headless-service.default.svc.cluster.local
dig +short AAAA headless-service.default.svc.cluster.local
